//! Figures an operator watches (`/metrics`): imports committed and requests by state. No
//! applicant data: counts only.

use gongkai_store::{audit, requests};

use crate::{App, Result};

/// What the database says for the metrics page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    /// Import batches committed, by action (`import.documents`, …).
    pub import_batches: Vec<(String, i64)>,
    /// Requests not finished, by state (`submitted`, `open`, `overdue`, `replied`).
    pub requests: Vec<(String, i64)>,
}

/// Reads the figures.
pub async fn figures(app: &App) -> Result<Figures> {
    let mut c = app.db().conn().await?;
    Ok(Figures {
        import_batches: audit::import_batches(&mut c).await?,
        requests: requests::state_counts(&mut c, app.today()).await?,
    })
}
