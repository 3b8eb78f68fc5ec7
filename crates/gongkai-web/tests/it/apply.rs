//! The public application form and the tracking page, as a citizen uses them without
//! JavaScript, and what they refuse.
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::{Page, Site, site};

fn enc(v: &str) -> String {
    serde_urlencoded::to_string([("v", v)]).unwrap()[2..].to_owned()
}

/// Posts a form as a browser on this site.
async fn post(s: &Site, uri: &str, cookie: &str, body: &str) -> Page {
    s.request(
        Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie)
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body.to_owned()))
            .unwrap(),
    )
    .await
}

/// The form's cookie and its token as shown `age` seconds ago.
async fn shown(s: &Site, age: i64) -> (String, String) {
    let form = s.get("/apply?org=GL00101").await;
    assert_eq!(form.status, StatusCode::OK);
    let cookie = form.cookie();
    let token = form.attrs("input[name=_t]", "value")[0].clone();
    let (t, at) = token.split_once(':').unwrap();
    let at: i64 = at.parse().unwrap();
    (cookie, format!("{t}:{}", at - age))
}

fn fields(extra: &str) -> String {
    let base = [
        ("org", "GL00101"),
        ("applicant_type", "natural_person"),
        ("name", "张三"),
        ("id_number", "350102199003071234"),
        ("phone", "13905912345"),
        ("description", "2025年鼓楼区老旧小区改造资金使用情况"),
        ("delivery", "online"),
    ];
    let mut out: Vec<String> = base
        .iter()
        .filter(|(k, _)| !extra.contains(&format!("{k}=")))
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect();
    if !extra.is_empty() {
        out.push(extra.to_owned());
    }
    out.join("&")
}

#[tokio::test]
async fn a_citizen_files_an_application_and_follows_it_by_code_and_secret() {
    let s = site().await;
    let form = s.get("/apply?org=GL00101").await;
    assert_eq!(form.attrs("#f-org option[selected]", "value"), ["GL00101"]);
    assert!(form.body.contains("条例"), "the form says what it rests on");

    // Missing fields come back beside their inputs, values kept.
    let (cookie, token) = shown(&s, 10).await;
    let bad = post(
        &s,
        "/apply",
        &cookie,
        &format!("{}&_t={token}", fields("name=&phone=&email=bad")),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert_eq!(bad.attrs("#f-name", "aria-invalid"), ["true"]);
    assert!(bad.text("#e-email").contains("电子邮箱"));
    assert_eq!(bad.attrs("#f-id_number", "value"), ["350102199003071234"]);
    assert!(bad.text(".form-errors").contains("姓名或名称"));

    // A good one: the receipt shows the 查询码 and the secret once.
    let (cookie, token) = shown(&s, 10).await;
    let done = post(&s, "/apply", &cookie, &format!("{}&_t={token}", fields(""))).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let codes = done.texts(".receipt code");
    let (tracking, secret) = (codes[0].clone(), codes[1].clone());
    assert!(tracking.starts_with("YS"));
    assert_eq!(done.headers[header::CACHE_CONTROL], "no-store");

    // The tracking page, posted so the secret stays out of the address.
    let page = post(
        &s,
        "/track",
        "",
        &format!("tracking={tracking}&secret={secret}"),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.text("#st-title").contains("已提交"), "{}", page.body);
    assert!(!page.body.contains("张三") && !page.body.contains("13905912345"));
    let wrong = post(
        &s,
        "/track",
        "",
        &format!("tracking={tracking}&secret=guess"),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    assert!(wrong.text(".form-error").contains("查询码或密码不对"));
}

#[tokio::test]
async fn scripts_are_held_off_without_any_outside_service() {
    let s = site().await;
    // Posted the moment the form was shown.
    let (cookie, token) = shown(&s, 0).await;
    let fast = post(&s, "/apply", &cookie, &format!("{}&_t={token}", fields(""))).await;
    assert_eq!(fast.status, StatusCode::BAD_REQUEST);
    assert!(fast.text(".form-error").contains("提交过快"));
    // Without this browser's cookie (posted from elsewhere, or by a script).
    let (_, token) = shown(&s, 10).await;
    let stray = post(&s, "/apply", "", &format!("{}&_t={token}", fields(""))).await;
    assert_eq!(stray.status, StatusCode::BAD_REQUEST);
    // The field people cannot see was filled in.
    let (cookie, token) = shown(&s, 10).await;
    let bot = post(
        &s,
        "/apply",
        &cookie,
        &format!("{}&_t={token}", fields("website=http%3A%2F%2Fspam")),
    )
    .await;
    assert_eq!(bot.status, StatusCode::BAD_REQUEST);
    // Another site's page cannot post it at all.
    let cross = s
        .request(
            Request::post("/apply")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "cross-site")
                .body(Body::from(fields("")))
                .unwrap(),
        )
        .await;
    assert_eq!(cross.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_unit_registers_an_application_and_keeps_its_clock_from_the_desk() {
    use gongkai_app::auth::create_user;
    use gongkai_domain::Role;
    let s = site().await;
    let (cookie, token) = shown(&s, 10).await;
    let done = post(&s, "/apply", &cookie, &format!("{}&_t={token}", fields(""))).await;
    let codes = done.texts(".receipt code");
    let (tracking, secret) = (codes[0].clone(), codes[1].clone());
    create_user(
        &s.app,
        "clerk9",
        "林经办",
        "correct-horse-9",
        &[("GL00101", Role::Clerk)],
    )
    .await
    .unwrap();
    create_user(
        &s.app,
        "other9",
        "外单位",
        "correct-horse-9",
        &[("LH00201", Role::Clerk)],
    )
    .await
    .unwrap();
    let clerk = s.login("clerk9", "correct-horse-9").await.cookie();
    let other = s.login("other9", "correct-horse-9").await.cookie();

    let desk = s.get_with_cookie("/staff/requests", &clerk).await;
    assert_eq!(desk.status, StatusCode::OK);
    assert!(desk.body.contains(&tracking), "waiting on the desk");
    let home = s.get_with_cookie("/staff/", &clerk).await;
    assert!(
        home.text("#remind-title + ul")
            .contains("1 件网上申请待确认受理"),
        "{}",
        home.body
    );
    let elsewhere = s.get_with_cookie("/staff/requests", &other).await;
    assert!(!elsewhere.body.contains(&tracking));
    let hidden = s
        .get_with_cookie(&format!("/staff/requests/{tracking}"), &other)
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);

    let page = s
        .get_with_cookie(&format!("/staff/requests/{tracking}"), &clerk)
        .await;
    assert!(page.body.contains("张三"), "the unit sees the applicant");
    let today = gongkai_domain::format_date_iso(s.app.today());
    let reg = s
        .post_form(
            &format!("/staff/requests/{tracking}/register"),
            &clerk,
            &format!("received={today}"),
        )
        .await;
    assert_eq!(reg.status, StatusCode::SEE_OTHER, "{}", reg.body);
    let page = s
        .get_with_cookie(&format!("/staff/requests/{tracking}"), &clerk)
        .await;
    assert!(page.text("h1").contains("办理中"), "{}", page.body);
    assert!(page.text("#c-title + dl").contains(&today));

    // The receipt was issued on registration; the applicant sees it among their letters.
    let seen = post(
        &s,
        "/track",
        "",
        &format!("tracking={tracking}&secret={secret}"),
    )
    .await;
    assert!(
        seen.text("table.letters").contains("登记回执"),
        "{}",
        seen.body
    );

    // A 补正告知书 lists what to correct; the clock waits for the corrected request.
    let until = gongkai_domain::format_date_iso(s.app.today().next_day().unwrap());
    let missing = s
        .post_form(
            &format!("/staff/requests/{tracking}/event"),
            &clerk,
            &format!(
                "kind=correction_requested&date={today}&{}=&{}={until}",
                enc("letter.补正事项"),
                enc("letter.补正期限")
            ),
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("补正事项"), "{}", missing.body);
    let corr = s
        .post_form(
            &format!("/staff/requests/{tracking}/event"),
            &clerk,
            &format!(
                "kind=correction_requested&date={today}&{}={}&{}={until}",
                enc("letter.补正事项"),
                enc("请写明所需资金明细的年份和小区名称"),
                enc("letter.补正期限")
            ),
        )
        .await;
    assert_eq!(corr.status, StatusCode::SEE_OTHER, "{}", corr.body);
    let page = s
        .get_with_cookie(&format!("/staff/requests/{tracking}"), &clerk)
        .await;
    assert!(page.text("h1").contains("待补正"), "{}", page.text("h1"));
    assert!(page.text("#l-title + table").contains("补正告知书"));
    // While the 补正 is awaited the page says so, and only 逾期不补正 may be replied.
    assert!(
        page.text("#rep-title + p + p").contains("申请人尚未补正"),
        "{}",
        page.text("#rep-title + p + p")
    );
    let early = s
        .post_form(
            &format!("/staff/requests/{tracking}/reply"),
            &clerk,
            &format!(
                "basis=art36.2&{}={}",
                enc("letter.答复内容"),
                enc("现予公开。")
            ),
        )
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.body.contains("收到补正"), "{}", early.body);
    // The citizen answers on the tracking page; the clock starts again from today.
    let seen = post(
        &s,
        "/track",
        "",
        &format!("tracking={tracking}&secret={secret}"),
    )
    .await;
    assert!(
        seen.text("#cor-title").contains("提交补正"),
        "{}",
        seen.body
    );
    let empty = post(
        &s,
        "/track/correct",
        "",
        &format!("tracking={tracking}&secret={secret}&text=+"),
    )
    .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty.text(".form-error").contains("补正的内容"),
        "{}",
        empty.body
    );
    let wrong = post(
        &s,
        "/track/correct",
        "",
        &format!(
            "tracking={tracking}&secret=WRONG&text={}",
            enc("鼓楼区华大街道")
        ),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    let answered = post(
        &s,
        "/track/correct",
        "",
        &format!(
            "tracking={tracking}&secret={secret}&text={}",
            enc("2025年华大街道北库小区")
        ),
    )
    .await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
    assert!(
        answered.text("#st-title").contains("办理中"),
        "{}",
        answered.body
    );
    let due = gongkai_domain::format_date_iso(
        gongkai_domain::Calendar::shipped()
            .add_workdays(s.app.today(), 20)
            .unwrap(),
    );
    assert!(answered.body.contains(&due), "restarted from today: {due}");
    let page = s
        .get_with_cookie(&format!("/staff/requests/{tracking}"), &clerk)
        .await;
    assert!(
        page.text("#a-title + p + dl")
            .contains("2025年华大街道北库小区"),
        "{}",
        page.text("#a-title + p + dl")
    );

    // A consultation: paused, its 15 days counted at once; the letter goes to the third
    // party and not to the applicant.
    let ev = s
        .post_form(
            &format!("/staff/requests/{tracking}/event"),
            &clerk,
            &format!(
                "kind=consultation_sent&date={today}&id=1&{}={}",
                enc("letter.被征求意见方"),
                enc("某某物业公司")
            ),
        )
        .await;
    assert_eq!(ev.status, StatusCode::SEE_OTHER, "{}", ev.body);
    let desk = s
        .get_with_cookie("/staff/requests?filter=paused", &clerk)
        .await;
    assert!(desk.body.contains(&tracking), "{}", desk.body);
    // An answer to a letter never sent is refused with the reason.
    let bad = s
        .post_form(
            &format!("/staff/requests/{tracking}/event"),
            &clerk,
            &format!("kind=consultation_answered&date={today}&id=9"),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("征求意见"));
    let seen = post(
        &s,
        "/track",
        "",
        &format!("tracking={tracking}&secret={secret}"),
    )
    .await;
    assert!(
        !seen.text("table.letters").contains("征求"),
        "{}",
        seen.body
    );
    assert!(seen.text("table.letters").contains("补正告知书"));

    // The reply is not recorded from the event form: it is signed by three people.
    let direct = s
        .post_form(
            &format!("/staff/requests/{tracking}/event"),
            &clerk,
            &format!("kind=replied&date={today}&outcome=disclosed&basis=art36.2"),
        )
        .await;
    assert_eq!(direct.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (user, role) in [("reviewer9", Role::Reviewer), ("approver9", Role::Approver)] {
        create_user(&s.app, user, user, "correct-horse-9", &[("GL00101", role)])
            .await
            .unwrap();
    }
    let reviewer = s.login("reviewer9", "correct-horse-9").await.cookie();
    let approver = s.login("approver9", "correct-horse-9").await.cookie();
    let drafted = s
        .post_form(
            &format!("/staff/requests/{tracking}/reply"),
            &clerk,
            &format!(
                "basis=art36.2&{}={}",
                enc("letter.答复内容"),
                enc("现随本告知书以电子邮件向您提供该信息。")
            ),
        )
        .await;
    assert_eq!(drafted.status, StatusCode::SEE_OTHER, "{}", drafted.body);
    // The approver cannot sign before the review; the clerk cannot review their own reply.
    let early = s
        .post_form(
            &format!("/staff/requests/{tracking}/reply/approve"),
            &approver,
            "",
        )
        .await;
    assert_ne!(early.status, StatusCode::SEE_OTHER);
    let own = s
        .post_form(
            &format!("/staff/requests/{tracking}/reply/review"),
            &clerk,
            "",
        )
        .await;
    assert_ne!(own.status, StatusCode::SEE_OTHER);
    let page = s
        .get_with_cookie(&format!("/staff/requests/{tracking}"), &reviewer)
        .await;
    assert!(
        page.text(".letter-preview")
            .contains("现随本告知书以电子邮件向您提供该信息")
    );
    assert!(
        page.text(".letter-preview")
            .contains("第三十六条第（二）项")
    );
    let reviewed = s
        .post_form(
            &format!("/staff/requests/{tracking}/reply/review"),
            &reviewer,
            "",
        )
        .await;
    assert_eq!(reviewed.status, StatusCode::SEE_OTHER, "{}", reviewed.body);
    let signed = s
        .post_form(
            &format!("/staff/requests/{tracking}/reply/approve"),
            &approver,
            "",
        )
        .await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);

    let seen = post(
        &s,
        "/track",
        "",
        &format!("tracking={tracking}&secret={secret}"),
    )
    .await;
    assert!(seen.text("#st-title").contains("已答复"), "{}", seen.body);
    let ids = seen.attrs("table.letters input[name=id]", "value");
    assert_eq!(ids.len(), 3, "receipt, correction, reply: {}", seen.body);
    let reply_id = ids.last().unwrap();
    let docx = post(
        &s,
        "/track/letter",
        "",
        &format!("tracking={tracking}&secret={secret}&id={reply_id}&format=docx"),
    )
    .await;
    assert_eq!(docx.status, StatusCode::OK);
    assert!(
        docx.headers
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .contains("wordprocessingml")
    );
    let text = docx_text(&docx.bytes);
    assert!(text.contains("政府信息公开申请答复告知书"), "{text}");
    assert!(text.contains("张三："), "{text}");
    assert!(text.contains("公复〔"), "{text}");
    assert!(
        text.contains("六个月内依法向人民法院提起行政诉讼"),
        "{text}"
    );
    // The wrong secret opens nothing; nor does another request's letter id.
    let wrong = post(
        &s,
        "/track/letter",
        "",
        &format!("tracking={tracking}&secret=WRONG&id={reply_id}&format=docx"),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    assert!(!wrong.body.contains("张三"));
    let desk = s.get_with_cookie("/staff/requests", &clerk).await;
    assert!(
        !desk.body.contains(&tracking),
        "replied requests leave the queue"
    );
}

/// The text of a DOCX's paragraphs, one per line.
fn docx_text(bytes: &[u8]) -> String {
    use docx_rs::{DocumentChild, ParagraphChild, RunChild};
    let doc = docx_rs::read_docx(bytes).unwrap();
    let mut out = String::new();
    for child in doc.document.children {
        if let DocumentChild::Paragraph(p) = child {
            for c in &p.children {
                if let ParagraphChild::Run(r) = c {
                    for t in &r.children {
                        if let RunChild::Text(t) = t {
                            out.push_str(&t.text);
                        }
                    }
                }
            }
            out.push('\n');
        }
    }
    out
}

#[tokio::test]
async fn a_clerk_registers_a_letter_with_the_day_it_was_signed_for() {
    use gongkai_app::auth::create_user;
    use gongkai_domain::Role;
    let s = site().await;
    create_user(
        &s.app,
        "clerk8",
        "陈经办",
        "correct-horse-8",
        &[("GL00101", Role::Clerk)],
    )
    .await
    .unwrap();
    let clerk = s.login("clerk8", "correct-horse-8").await.cookie();

    let form = s.get_with_cookie("/staff/requests/new", &clerk).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert_eq!(
        form.attrs("#f-org option", "value")
            .into_iter()
            .filter(|v| !v.is_empty())
            .collect::<Vec<_>>(),
        vec!["GL00101".to_owned()],
        "only the clerk's own units"
    );
    assert!(form.attrs("input[name=_t]", "value").is_empty());

    let today = s.app.today();
    let cal = gongkai_domain::Calendar::shipped();
    let mut signed = today.previous_day().unwrap();
    while !cal.is_workday(signed).unwrap() {
        signed = signed.previous_day().unwrap();
    }
    let signed_iso = gongkai_domain::format_date_iso(signed);

    // A date to come is refused beside its field; nothing is filed.
    let tomorrow = gongkai_domain::format_date_iso(today.next_day().unwrap());
    let bad = s
        .post_form(
            "/staff/requests/new",
            &clerk,
            &format!("{}&channel=letter&received={tomorrow}", fields("")),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(
        bad.text("#e-received").contains("不能晚于今天"),
        "{}",
        bad.body
    );
    let garbled = s
        .post_form(
            "/staff/requests/new",
            &clerk,
            &format!("{}&channel=letter&received=昨天", fields("")),
        )
        .await;
    assert_eq!(garbled.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(garbled.text("#e-received").contains("年-月-日"));
    // Another unit's application is not this clerk's to register.
    let foreign = s
        .post_form(
            "/staff/requests/new",
            &clerk,
            &format!(
                "{}&channel=walk_in&received={signed_iso}",
                fields("org=LH00201")
            ),
        )
        .await;
    assert_ne!(foreign.status, StatusCode::OK, "{}", foreign.body);
    let desk = s.get_with_cookie("/staff/requests", &clerk).await;
    assert!(!desk.body.contains("张三"));

    let done = s
        .post_form(
            "/staff/requests/new",
            &clerk,
            &format!("{}&channel=letter&received={signed_iso}", fields("")),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.headers.get("cache-control").unwrap(), "no-store");
    let codes = done.texts(".receipt code");
    let (tracking, secret) = (codes[0].clone(), codes[1].clone());

    // Registered at once: open, its clock counted from the day it was signed for.
    let page = s
        .get_with_cookie(&format!("/staff/requests/{tracking}"), &clerk)
        .await;
    assert!(page.text("h1").contains("办理中"), "{}", page.body);
    assert!(
        page.text("#c-title + dl").contains(&signed_iso),
        "{}",
        page.body
    );
    let due = gongkai_domain::format_date_iso(cal.add_workdays(signed, 20).unwrap());
    assert!(page.text("#c-title + dl").contains(&due), "{}", page.body);
    // The applicant follows it with the receipt like any other.
    let seen = post(
        &s,
        "/track",
        "",
        &format!("tracking={tracking}&secret={secret}"),
    )
    .await;
    assert!(seen.body.contains(&due), "{}", seen.body);
}

#[tokio::test]
async fn the_office_edits_a_letter_template_with_a_preview_and_its_mistakes_named() {
    use gongkai_app::auth::create_user;
    use gongkai_domain::Role;
    let s = site().await;
    create_user(
        &s.app,
        "office7",
        "政务公开办",
        "correct-horse-7",
        &[("GL00101", Role::Office)],
    )
    .await
    .unwrap();
    create_user(
        &s.app,
        "clerk7",
        "经办",
        "correct-horse-7",
        &[("GL00101", Role::Clerk)],
    )
    .await
    .unwrap();
    let office = s.login("office7", "correct-horse-7").await.cookie();
    let clerk = s.login("clerk7", "correct-horse-7").await.cookie();
    let list = s.get_with_cookie("/staff/letters", &office).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(
        list.text("table")
            .contains("答复告知书：第三十六条第（四）项（信息不存在）")
    );
    assert_eq!(
        s.get_with_cookie("/staff/letters", &clerk).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        s.get_with_cookie("/staff/letters/GL00101/correction", &clerk)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let uri = "/staff/letters/GL00101/reply.art36.4";
    let form = s.get_with_cookie(uri, &office).await;
    assert!(form.text("#tpl-body").contains("{依据}"), "{}", form.body);
    assert!(form.text(".letter").contains("第三十六条第（四）项"));
    let bad = s
        .post_form(
            uri,
            &office,
            &format!(
                "title={}&body={}&action=save",
                enc("答复"),
                enc("您好{申请人名}")
            ),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text("#tpl-error").contains("申请人名"), "{}", bad.body);
    assert_eq!(
        bad.text("#tpl-body"),
        "您好{申请人名}",
        "what was typed is kept"
    );
    let ok = s
        .post_form(
            uri,
            &office,
            &format!(
                "title={}&body={}&action=save",
                enc("答复告知书"),
                enc("{申请人}：经检索，该信息不存在。\n\n{救济}")
            ),
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let list = s.get_with_cookie("/staff/letters", &office).await;
    assert!(list.body.contains("<strong>本机关</strong>"));
    let reset = s.post_form(uri, &office, "title=&body=&action=reset").await;
    assert_eq!(reset.status, StatusCode::SEE_OTHER);
    let list = s.get_with_cookie("/staff/letters", &office).await;
    assert!(!list.body.contains("<strong>本机关</strong>"));
}

#[tokio::test]
async fn the_unit_assigns_archives_and_records_the_cases_brought_about_a_request() {
    use gongkai_app::auth::create_user;
    use gongkai_app::documents::Actor;
    use gongkai_domain::Role;
    let s = site().await;
    let (cookie, token) = shown(&s, 10).await;
    let done = post(&s, "/apply", &cookie, &format!("{}&_t={token}", fields(""))).await;
    let tracking = done.texts(".receipt code")[0].clone();
    for (user, name) in [("clerk5", "林经办"), ("clerk6", "王经办")] {
        create_user(
            &s.app,
            user,
            name,
            "correct-horse-5",
            &[("GL00101", Role::Clerk)],
        )
        .await
        .unwrap();
    }
    let clerk = s.login("clerk5", "correct-horse-5").await.cookie();
    let other = s.login("clerk6", "correct-horse-5").await.cookie();
    let today = gongkai_domain::format_date_iso(s.app.today());
    let reg = s
        .post_form(
            &format!("/staff/requests/{tracking}/register"),
            &clerk,
            &format!("received={today}"),
        )
        .await;
    assert_eq!(reg.status, StatusCode::SEE_OTHER);

    // Assigned to 王经办: it is on their "mine" list, not on 林经办's.
    let page = s
        .get_with_cookie(&format!("/staff/requests/{tracking}"), &clerk)
        .await;
    let options = page.texts("#as-to option");
    assert!(options.contains(&"王经办".to_owned()), "{options:?}");
    let wang = page
        .attrs("#as-to option", "value")
        .into_iter()
        .zip(options)
        .find(|(_, n)| n == "王经办")
        .unwrap()
        .0;
    let a = s
        .post_form(
            &format!("/staff/requests/{tracking}/assign"),
            &clerk,
            &format!("assigned_to={wang}"),
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let bad = s
        .post_form(
            &format!("/staff/requests/{tracking}/assign"),
            &clerk,
            "assigned_to=999999",
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        s.get_with_cookie("/staff/requests?filter=mine", &other)
            .await
            .body
            .contains(&tracking)
    );
    assert!(
        !s.get_with_cookie("/staff/requests?filter=mine", &clerk)
            .await
            .body
            .contains(&tracking)
    );
    let desk = s.get_with_cookie("/staff/requests", &clerk).await;
    assert!(desk.text("table.data tbody").contains("王经办"));

    // Archiving waits for the reply.
    let early = s
        .post_form(&format!("/staff/requests/{tracking}/archive"), &clerk, "")
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
    let reply = gongkai_app::intake::NewEvent {
        event: serde_json::json!({"kind": "replied", "date": today}),
        outcome: Some((
            gongkai_domain::Outcome::NotHeld,
            vec![gongkai_domain::LegalBasis::NotExist],
        )),
        letter: None,
    };
    gongkai_app::intake::add_event(&s.app, Actor::System, &tracking, &reply)
        .await
        .unwrap();
    let arch = s
        .post_form(&format!("/staff/requests/{tracking}/archive"), &clerk, "")
        .await;
    assert_eq!(arch.status, StatusCode::SEE_OTHER, "{}", arch.body);
    let page = s
        .get_with_cookie(&format!("/staff/requests/{tracking}"), &clerk)
        .await;
    assert!(
        page.text("#h-title + dl").contains("已归档"),
        "{}",
        page.text("#h-title + dl")
    );
    let again = s
        .post_form(&format!("/staff/requests/{tracking}/archive"), &clerk, "")
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    // A 行政复议 case: a date before the request is refused with its field; a pending case is
    // later decided.
    let before = s
        .post_form(
            &format!("/staff/requests/{tracking}/reviews"),
            &clerk,
            "kind=reconsideration&filed_date=2020-01-01",
        )
        .await;
    assert_eq!(before.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(before.body.contains("立案日期"), "{}", before.body);
    let half = s
        .post_form(
            &format!("/staff/requests/{tracking}/reviews"),
            &clerk,
            &format!("kind=reconsideration&filed_date={today}&result=upheld"),
        )
        .await;
    assert_eq!(half.status, StatusCode::BAD_REQUEST);
    let added = s
        .post_form(
            &format!("/staff/requests/{tracking}/reviews"),
            &clerk,
            &format!("kind=reconsideration&filed_date={today}"),
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let page = s
        .get_with_cookie(&format!("/staff/requests/{tracking}"), &clerk)
        .await;
    assert!(page.text("#rv-title ~ table").contains("尚未审结"));
    let decided = s
        .post_form(
            &format!("/staff/requests/{tracking}/reviews"),
            &clerk,
            &format!("position=0&result=corrected&decided_date={today}"),
        )
        .await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER, "{}", decided.body);
    let page = s
        .get_with_cookie(&format!("/staff/requests/{tracking}"), &clerk)
        .await;
    assert!(
        page.text("#rv-title ~ table").contains("结果纠正"),
        "{}",
        page.body
    );
    // It counts in table 四 of the year it was filed.
    let year = s.app.today().year();
    let (report, _) = gongkai_app::report::annual(&s.app, Actor::System, "GL00101", year)
        .await
        .unwrap();
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(
        json["reviews"]["reconsideration"]["corrected"], 1,
        "{}",
        json["reviews"]
    );
}

#[tokio::test]
async fn a_fee_notice_from_the_page_charges_by_the_units_rule() {
    use gongkai_app::auth::create_user;
    use gongkai_domain::Role;
    let s = site().await;
    let (cookie, token) = shown(&s, 10).await;
    let done = post(&s, "/apply", &cookie, &format!("{}&_t={token}", fields(""))).await;
    let tracking = done.texts(".receipt code")[0].clone();
    create_user(
        &s.app,
        "clerk4",
        "经办",
        "correct-horse-4",
        &[("GL00101", Role::Clerk)],
    )
    .await
    .unwrap();
    create_user(
        &s.app,
        "office4",
        "公开办",
        "correct-horse-4",
        &[("GL00101", Role::Office)],
    )
    .await
    .unwrap();
    let clerk = s.login("clerk4", "correct-horse-4").await.cookie();
    let office = s.login("office4", "correct-horse-4").await.cookie();
    let today = gongkai_domain::format_date_iso(s.app.today());
    s.post_form(
        &format!("/staff/requests/{tracking}/register"),
        &clerk,
        &format!("received={today}"),
    )
    .await;
    // 按件 by default: the applicant's first request of the month costs nothing.
    let page = s
        .get_with_cookie(&format!("/staff/requests/{tracking}"), &clerk)
        .await;
    assert!(
        page.text("#fn-help").contains("第1件"),
        "{}",
        page.text("#fn-help")
    );
    let free = s
        .post_form(
            &format!("/staff/requests/{tracking}/event"),
            &clerk,
            &format!("kind=fee_notice&date={today}"),
        )
        .await;
    assert_eq!(free.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(free.body.contains("不收费"), "{}", free.body);
    // The office chooses 按量; the clerk gives the pages and the platform the amount.
    assert_eq!(
        s.post_form("/staff/fee-rule/GL00101", &clerk, "rule=by_volume")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let set = s
        .post_form("/staff/fee-rule/GL00101", &office, "rule=by_volume")
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);
    let paid = s
        .post_form(
            &format!("/staff/requests/{tracking}/event"),
            &clerk,
            &format!(
                "kind=fee_notice&date={today}&pages=250&{}=999",
                enc("letter.费用金额")
            ),
        )
        .await;
    assert_eq!(paid.status, StatusCode::SEE_OTHER, "{}", paid.body);
    let page = s
        .get_with_cookie(&format!("/staff/requests/{tracking}"), &clerk)
        .await;
    assert!(page.text("h1").contains("暂停计时"), "{}", page.text("h1"));
    let rows = page.text("#l-title + table");
    assert!(rows.contains("收费通知"), "{rows}");
    let letters: Vec<String> = page.attrs("#l-title + table a", "href");
    let fee = letters.iter().rfind(|h| !h.ends_with("/docx")).unwrap();
    let letter = s.get_with_cookie(fee, &clerk).await;
    assert!(
        letter.text("main").contains("信息处理费4700元"),
        "{}",
        letter.body
    );
    assert!(
        !letter.text("main").contains("999"),
        "the amount is the platform's"
    );
}

#[tokio::test]
async fn nothing_of_the_applicant_reaches_what_the_public_can_read() {
    use gongkai_app::auth::create_user;
    use gongkai_domain::Role;
    let s = site().await;
    let (cookie, token) = shown(&s, 10).await;
    let name = "欧阳明月";
    let id_number = "11010519491231002X";
    let wanted = "独一无二的描述青龙白虎";
    let body = format!(
        "{}&_t={token}",
        fields(&format!(
            "name={}&id_number={id_number}&description={}",
            enc(name),
            enc(wanted)
        ))
    );
    let done = post(&s, "/apply", &cookie, &body).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let tracking = done.texts(".receipt code")[0].clone();
    create_user(
        &s.app,
        "clerk3",
        "经办",
        "correct-horse-3",
        &[("GL00101", Role::Clerk)],
    )
    .await
    .unwrap();
    let clerk = s.login("clerk3", "correct-horse-3").await.cookie();
    let today = gongkai_domain::format_date_iso(s.app.today());
    s.post_form(
        &format!("/staff/requests/{tracking}/register"),
        &clerk,
        &format!("received={today}"),
    )
    .await;
    let q = enc(name);
    let w = enc(wanted);
    for uri in [
        "/".to_owned(),
        "/list".to_owned(),
        "/feed.xml".to_owned(),
        "/atom.xml".to_owned(),
        "/feed.json".to_owned(),
        "/org/GL00101/feed.xml".to_owned(),
        "/sitemap.xml".to_owned(),
        format!("/api/v1/requests/{tracking}"),
        format!("/staff/requests/{tracking}"),
        format!("/staff/requests/{tracking}/letters/1"),
        format!("/api/v1/requests/{tracking}/letters/1"),
    ] {
        let page = s.get(&uri).await;
        for secret in [name, id_number, wanted] {
            assert!(!page.body.contains(secret), "{uri} shows {secret}");
        }
    }
    // Search finds nothing of it (the search page echoes only what was typed).
    for term in [&q, &w] {
        let found = s.get(&format!("/api/v1/search?q={term}")).await;
        let v: serde_json::Value = serde_json::from_str(&found.body).unwrap();
        assert_eq!(v["total"], 0, "{}", found.body);
    }
    // The tracking page shows the status, not the identity.
    let secret_pair = done.texts(".receipt code")[1].clone();
    let seen = post(
        &s,
        "/track",
        "",
        &format!("tracking={tracking}&secret={secret_pair}"),
    )
    .await;
    assert!(!seen.body.contains(id_number));
}
