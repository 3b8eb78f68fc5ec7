//! XLSX text: every sheet and filled cell, numbers as written, hostile workbooks refused.

use gongkai_search::{ExtractError, extract};
use rust_xlsxwriter::Workbook;

use crate::text_of;

#[test]
fn every_sheet_and_filled_cell_is_read_row_by_row() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("名单").unwrap();
    sheet.write_string(0, 0, "姓名").unwrap();
    sheet.write_string(0, 2, "手机").unwrap();
    sheet.write_string(1, 0, "李四").unwrap();
    sheet.write_number(1, 2, 13905912345.0).unwrap();
    sheet.write_number(2, 1, 2.5).unwrap();
    let other = book.add_worksheet().set_name("说明").unwrap();
    other
        .write_string(3, 3, "身份证号 350102199003071234")
        .unwrap();
    let bytes = book.save_to_buffer().unwrap();
    assert_eq!(
        text_of("名单.xlsx", &bytes).unwrap(),
        "名单\n姓名\t手机\n李四\t13905912345\n2.5\n说明\n身份证号 350102199003071234"
    );
}

#[test]
fn a_workbook_spanning_a_whole_sheet_is_refused_before_it_is_read() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "起").unwrap();
    sheet.write_string(1_048_575, 16_383, "止").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    match extract("大.xlsx", &bytes) {
        Err(ExtractError::Xlsx { reason }) => assert!(reason.contains("范围过大"), "{reason}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_broken_workbook_is_an_error_not_a_panic() {
    let mut book = Workbook::new();
    book.add_worksheet().write_string(0, 0, "文字").unwrap();
    let mut bytes = book.save_to_buffer().unwrap();
    let half = bytes.len() / 2;
    bytes.truncate(half);
    assert!(extract("坏.xlsx", &bytes).is_err());
}
