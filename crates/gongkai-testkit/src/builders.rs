//! Builders for test records, with realistic defaults.

use gongkai_app::App;
use gongkai_app::orgs::{OrgInput, create};
use gongkai_domain::OrgKind;
use serde_json::{Value, json};

/// One line of the document import format.
#[derive(Clone, Debug)]
pub struct DocLine(Value);

impl Default for DocLine {
    fn default() -> Self {
        DocLine::new()
    }
}

impl DocLine {
    /// A valid record of 鼓楼区人民政府办公室, published 2021-06-09.
    pub fn new() -> DocLine {
        DocLine(json!({
            "org": "GL00101",
            "title": "福州市鼓楼区人民政府办公室关于印发2021年政务公开工作要点的通知",
            "doc_number": "鼓政办〔2021〕12号",
            "issuer": "福州市鼓楼区人民政府办公室",
            "topic": "综合政务\\政务公开",
            "kind": "通知",
            "written_date": "2021-06-04",
            "published_date": "2021-06-09",
            "validity": "valid",
            "column": "法定主动公开内容/政策文件",
            "body_text": "各街道办事处、洪山镇政府：\n现将工作要点印发给你们，请认真贯彻落实。"
        }))
    }

    /// Sets a key to a string.
    pub fn set(mut self, key: &str, value: &str) -> DocLine {
        self.0[key] = Value::String(value.to_owned());
        self
    }

    /// Sets a key to any JSON value.
    pub fn set_json(mut self, key: &str, value: Value) -> DocLine {
        self.0[key] = value;
        self
    }

    /// Removes a key.
    pub fn without(mut self, key: &str) -> DocLine {
        if let Some(o) = self.0.as_object_mut() {
            o.remove(key);
        }
        self
    }

    /// Organization code.
    pub fn org(self, code: &str) -> DocLine {
        self.set("org", code)
    }

    /// Title.
    pub fn title(self, t: &str) -> DocLine {
        self.set("title", t)
    }

    /// Publication date (and the written date, a few days before when later).
    pub fn published(self, date: &str) -> DocLine {
        self.set("published_date", date).set("written_date", date)
    }

    /// The JSON line.
    pub fn to_line(&self) -> String {
        self.0.to_string()
    }
}

/// Joins lines into a JSON Lines file.
pub fn jsonl(lines: &[DocLine]) -> String {
    let mut out = String::new();
    for l in lines {
        out.push_str(&l.to_line());
        out.push('\n');
    }
    out
}

/// Creates a small tree: 福州市政府办 (FZ00101) → 鼓楼区政府办 (GL00101) → 华大街道 (GL01007),
/// and 柳河县工信局 (LH00201) on its own.
pub async fn org_tree(app: &App) {
    for (code, name, short, kind, parent) in [
        (
            "FZ00101",
            "福州市人民政府办公厅",
            "榕政办",
            OrgKind::Office,
            None,
        ),
        (
            "GL00101",
            "福州市鼓楼区人民政府办公室",
            "鼓政办",
            OrgKind::Office,
            Some("FZ00101"),
        ),
        (
            "GL01007",
            "福州市鼓楼区华大街道办事处",
            "华大街",
            OrgKind::Subdistrict,
            Some("GL00101"),
        ),
        (
            "LH00201",
            "柳河县工业和信息化局",
            "柳工信",
            OrgKind::Department,
            None,
        ),
    ] {
        create(
            app,
            &OrgInput {
                code: code.into(),
                name: name.into(),
                short_name: Some(short.into()),
                kind,
                parent: parent.map(Into::into),
                index_pattern: None,
            },
        )
        .await
        .unwrap();
    }
}
