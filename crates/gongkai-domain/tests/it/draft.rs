use gongkai_domain::draft::{parse_cn_date, propose};
use time::macros::date;

fn lines(s: &str) -> Vec<String> {
    s.lines().map(str::to_owned).collect()
}

#[test]
fn a_notice_in_the_national_layout_proposes_its_fields() {
    let p = propose(&lines(
        "福州市鼓楼区人民政府办公室文件\n鼓政办〔2026〕12号\n福州市鼓楼区人民政府办公室关于印发\n2026年政务公开工作要点的通知\n各街道办事处：\n现将要点印发给你们，请认真贯彻落实。\n福州市鼓楼区人民政府办公室\n2026年3月5日",
    ));
    assert_eq!(p.issuer.as_deref(), Some("福州市鼓楼区人民政府办公室"));
    assert_eq!(p.doc_number.as_deref(), Some("鼓政办〔2026〕12号"));
    assert_eq!(
        p.title.as_deref(),
        Some("福州市鼓楼区人民政府办公室关于印发2026年政务公开工作要点的通知")
    );
    assert_eq!(p.written_date, Some(date!(2026 - 03 - 05)));
    assert_eq!(p.head_lines, 4);
}

#[test]
fn variants_of_the_head_and_the_date_are_read() {
    let p = propose(&lines(
        "鼓政办[2026]7号\n关于做好冬季供暖保障工作的通知\n正文。\n鼓楼区住房和城乡建设局\n二〇二六年十一月三十日",
    ));
    assert_eq!(p.doc_number.as_deref(), Some("鼓政办〔2026〕7号"));
    assert_eq!(p.title.as_deref(), Some("关于做好冬季供暖保障工作的通知"));
    assert_eq!(p.issuer.as_deref(), Some("鼓楼区住房和城乡建设局"));
    assert_eq!(p.written_date, Some(date!(2026 - 11 - 30)));
    // No head at all: the first line is the title, nothing else is guessed.
    let p = propose(&lines("2026年第三季度统计数据\n各项指标平稳。"));
    assert_eq!(p.title.as_deref(), Some("2026年第三季度统计数据"));
    assert_eq!((p.doc_number, p.written_date, p.issuer), (None, None, None));
    assert_eq!(propose(&[]), Default::default());
}

#[test]
fn chinese_dates_are_checked_like_any_date() {
    assert_eq!(parse_cn_date("2026年2月28日"), Some(date!(2026 - 02 - 28)));
    assert_eq!(
        parse_cn_date("２０２６年１２月１日"),
        Some(date!(2026 - 12 - 01))
    );
    assert_eq!(
        parse_cn_date("二〇二四年二月二十九日"),
        Some(date!(2024 - 02 - 29))
    );
    assert_eq!(parse_cn_date("二〇二六年二月二十九日"), None);
    assert_eq!(parse_cn_date("2026年13月1日"), None);
    assert_eq!(parse_cn_date("会议定于2026年3月5日召开"), None);
    assert_eq!(parse_cn_date("年月日"), None);
}
