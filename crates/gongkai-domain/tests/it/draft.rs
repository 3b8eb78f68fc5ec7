use gongkai_domain::draft::{compact_spaces, parse_cn_date, propose};
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

#[test]
fn spaces_a_pdf_put_between_chinese_and_digits_are_dropped() {
    // As pdftotext reads a LibreOffice PDF.
    let p = propose(&lines(
        "福州市鼓楼区人民政府办公室关于做好 2026 年政务公开工作的通知\n鼓政办〔2026〕12 号\n各街道办事处：\n正文。\n福州市鼓楼区人民政府办公室\n2026 年 11 月 30 日",
    ));
    assert_eq!(
        p.title.as_deref(),
        Some("福州市鼓楼区人民政府办公室关于做好2026年政务公开工作的通知")
    );
    assert_eq!(p.doc_number.as_deref(), Some("鼓政办〔2026〕12号"));
    assert_eq!(p.written_date, Some(date!(2026 - 11 - 30)));
    assert_eq!(
        compact_spaces("  Open  Government Data 开放 "),
        "Open Government Data开放"
    );
}

#[test]
fn lines_a_pdf_wrapped_are_joined_into_paragraphs() {
    use gongkai_domain::draft::join_wrapped_lines;
    let got = join_wrapped_lines(&lines(
        "一、总体要求\n为深入推进政务公开，现将有关事项通知如下，请各单位结合实际认真贯彻\n落实，确保各项任务按期完成。\n联系人：张三，手机13905912345，电子邮箱地址为以下所列的地址之一\nzhangsan@example.com。\n（一）加强组织领导\n1. 明确责任分工，各单位主要负责同志要亲自抓、负总责，确保落实到位\n2. 按时报送材料。",
    ));
    assert_eq!(
        got,
        [
            "一、总体要求",
            "为深入推进政务公开，现将有关事项通知如下，请各单位结合实际认真贯彻落实，确保各项任务按期完成。",
            "联系人：张三，手机13905912345，电子邮箱地址为以下所列的地址之一zhangsan@example.com。",
            "（一）加强组织领导",
            "1. 明确责任分工，各单位主要负责同志要亲自抓、负总责，确保落实到位",
            "2. 按时报送材料。",
        ]
    );
}
