//! Progress bars on stderr, drawn only when stderr is a terminal: a script or a log file
//! gets the results, not the animation.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

fn visible() -> bool {
    std::io::stderr().is_terminal()
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

/// Bytes of a file read so far, out of `total` when known.
pub fn bytes(total: Option<u64>, message: &'static str) -> ProgressBar {
    if !visible() {
        return ProgressBar::hidden();
    }
    let bar = match total {
        Some(total) => ProgressBar::new(total)
            .with_style(style("{msg} [{bar:40}] {bytes}/{total_bytes} ({eta})")),
        None => ProgressBar::new_spinner().with_style(style("{spinner} {msg} {bytes}")),
    };
    bar.set_message(message);
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// A count of records with a spinner.
pub fn counter(message: &'static str) -> ProgressBar {
    if !visible() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner().with_style(style("{spinner} {msg} {pos} 条"));
    bar.set_message(message);
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// One bar reused by successive stages, each named by its message. Stages count in their
/// own units (records, bytes), so the bar shows a percentage.
pub struct Stages {
    bar: ProgressBar,
    visible: bool,
    stage: Option<&'static str>,
}

impl Stages {
    /// A hidden or visible multi-stage bar; it appears with the first stage.
    pub fn new() -> Stages {
        let visible = visible();
        let bar = if visible {
            ProgressBar::new(0).with_style(style("{spinner} {msg} [{bar:40}] {percent:>3}%"))
        } else {
            ProgressBar::hidden()
        };
        Stages {
            bar,
            visible,
            stage: None,
        }
    }

    /// Shows `done` of `total` in `stage`; a new stage leaves a line for the previous one.
    pub fn update(&mut self, stage: &'static str, done: u64, total: u64) {
        if self.stage != Some(stage) {
            let first = self.stage.is_none();
            self.finish_stage();
            self.stage = Some(stage);
            self.bar.set_message(stage);
            self.bar.set_length(total);
            self.bar.set_position(done);
            if first && self.visible {
                self.bar.enable_steady_tick(Duration::from_millis(120));
            }
            return;
        }
        if self.bar.length() != Some(total) {
            self.bar.set_length(total);
        }
        self.bar.set_position(done);
    }

    fn finish_stage(&mut self) {
        if let Some(stage) = self.stage.take() {
            self.bar.println(format!("✓ {stage}"));
        }
    }

    /// Ends the last stage and removes the bar.
    pub fn finish(mut self) {
        self.finish_stage();
        self.bar.finish_and_clear();
    }
}
