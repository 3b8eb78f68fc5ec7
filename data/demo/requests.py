#!/usr/bin/env python3
"""Writes requests.jsonl: synthetic information requests (依申请公开) of the 鼓楼区 demo
organizations, 2019 to 2026-11, in the request import format of SPEC.md.

Fixed random seed: every run writes the same bytes. Run from the repository root:

    python3 data/demo/requests.py

Working days come from the calendar files shipped in crates/gongkai-domain/data/calendar, so
that replies fall inside the statutory 20 working days (a few run late, a few are extended).
Applicant details are invented placeholders (陈某某, masked phone numbers), never real people.
"""
import datetime as dt
import json
import os
import random

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CAL = os.path.join(ROOT, "crates", "gongkai-domain", "data", "calendar")
OUT = os.path.join(ROOT, "data", "demo", "requests.jsonl")
LAST_DAY = dt.date(2026, 11, 27)  # the demo's "yesterday": later replies stay open

special = {}
for year in range(2019, 2027):
    with open(os.path.join(CAL, f"{year}.json"), encoding="utf-8") as f:
        for d in json.load(f)["days"]:
            special[dt.date.fromisoformat(d["date"])] = not d["isOffDay"]


def workday(d):
    return special.get(d, d.weekday() < 5)


def add_workdays(d, n):
    while n > 0:
        d += dt.timedelta(days=1)
        if workday(d):
            n -= 1
    return d


ORGS = [  # code, weight, what people ask each unit about
    ("GL00101", 30, ["鼓楼区{y}年政府工作报告重点任务分解及完成情况", "鼓楼区{y}年度财政预算执行情况",
                     "鼓楼区{y}年重大行政决策事项目录", "区政府常务会议关于{p}的会议纪要"]),
    ("GL00201", 12, ["鼓楼区{y}年中小企业专项扶持资金申报及拨付名单", "{p}企业技术改造补助的审批材料",
                     "鼓楼区{y}年数字经济产业园入驻企业名单"]),
    ("GL00301", 16, ["{p}路段占道施工许可及审批材料", "鼓楼区{y}年违法建设查处情况", "{p}垃圾分类收运点设置依据"]),
    ("GL01001", 5, ["鼓东街道{p}老旧小区改造项目的资金使用情况", "鼓东街道{y}年低保审批公示名单"]),
    ("GL01002", 5, ["鼓西街道{p}征收补偿方案", "鼓西街道{y}年社区办公用房配置情况"]),
    ("GL01003", 4, ["温泉街道{p}小区加装电梯补助的审批情况", "温泉街道{y}年网格员招聘结果"]),
    ("GL01004", 4, ["东街街道{p}历史建筑修缮工程的招标文件", "东街街道{y}年消防安全检查记录"]),
    ("GL01005", 4, ["南街街道{p}沿街店招整治依据", "南街街道{y}年居家养老服务补贴发放情况"]),
    ("GL01006", 3, ["安泰街道{p}内河整治工程验收材料", "安泰街道{y}年困难群众临时救助情况"]),
    ("GL01007", 4, ["华大街道{p}老旧小区改造项目计划及资金来源", "华大街道{y}年社区工作者考核结果"]),
    ("GL01008", 3, ["水部街道{p}违章搭盖拆除决定", "水部街道{y}年防汛物资采购情况"]),
    ("GL01009", 3, ["五凤街道{p}征地拆迁补偿标准", "五凤街道{y}年人口普查工作经费使用情况"]),
    ("GL01010", 7, ["洪山镇{p}村集体土地征收批复文件", "洪山镇{y}年宅基地审批情况", "洪山镇{p}安置房分配方案"]),
]
PLACES = ["杨桥路", "湖东路", "五四路", "白马路", "西二环", "屏山", "乌山", "三坊七巷", "温泉公园", "铜盘路",
          "梅峰", "金牛山", "华林路", "东街口", "六一北路"]
APPLICANTS = [("natural_person", 70), ("legal.commercial", 12), ("legal.research", 2),
              ("legal.public_interest", 2), ("legal.legal_services", 8), ("legal.other", 6)]
OUTCOMES = [  # outcome, weight, bases
    ("disclosed", 300, ["art36.2"]), ("disclosed", 60, ["art36.1"]),
    ("partially_disclosed", 70, ["art37", "art15"]),
    ("withheld.state_secret", 3, ["art14.state_secret"]),
    ("withheld.prohibited_by_law", 5, ["art14.prohibited_by_law"]),
    ("withheld.security_stability", 3, ["art14.security_stability"]),
    ("withheld.third_party_rights", 20, ["art15"]),
    ("withheld.internal_affairs", 10, ["art16.1"]),
    ("withheld.process_info", 25, ["art16.2.process"]),
    ("withheld.enforcement_file", 12, ["art16.2.enforcement"]),
    ("withheld.query_matter", 8, ["art36.7"]),
    ("unavailable.not_held", 180, ["art36.4"]), ("unavailable.not_held", 60, ["art36.5"]),
    ("unavailable.needs_creation", 40, ["art38"]),
    ("unavailable.unclear_after_correction", 15, ["art30.unclear"]),
    ("not_processed.petition_complaint", 45, ["art39.1"]),
    ("not_processed.duplicate", 25, ["art36.6"]),
    ("not_processed.publication", 6, ["art39.2"]),
    ("not_processed.excessive", 8, ["art35"]),
    ("not_processed.confirm_or_reissue", 8, ["practice.confirm_or_reissue"]),
    ("other.no_correction", 25, ["art30.no_correction"]),
    ("other.fee_unpaid", 3, ["fee_rules"]),
    ("other.other", 25, ["withdrawn"]),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑"
COMPANIES = {"legal.commercial": "福州某某科技有限公司", "legal.research": "福建某某研究院",
             "legal.public_interest": "福州某某公益服务中心", "legal.legal_services": "福建某某律师事务所",
             "legal.other": "鼓楼区某某业主委员会"}
PER_YEAR = {2019: 180, 2020: 210, 2021: 260, 2022: 240, 2023: 280, 2024: 300, 2025: 320, 2026: 290}


def pick(rng, items):
    return rng.choices(items, weights=[i[1] for i in items])[0]


def main():
    rng = random.Random(20261128)
    lines = []
    serials = {}
    for year, count in PER_YEAR.items():
        last = dt.date(year, 12, 31) if year < 2026 else LAST_DAY
        days = [dt.date(year, 1, 1) + dt.timedelta(days=i) for i in range((last - dt.date(year, 1, 1)).days + 1)]
        days = [d for d in days if workday(d)]
        for _ in range(count):
            org, _, subjects = pick(rng, [(o, w, s) for o, w, s in ORGS])
            received = rng.choice(days)
            kind = pick(rng, APPLICANTS)[0]
            outcome, _, bases = pick(rng, OUTCOMES)
            subject = rng.choice(subjects).format(y=year - rng.choice([0, 0, 1]), p=rng.choice(PLACES))
            events, start, extension = [], received, 0
            if outcome in ("other.no_correction", "unavailable.unclear_after_correction") or rng.random() < 0.04:
                notice = add_workdays(received, rng.randint(1, 6))
                events.append({"kind": "correction_requested", "date": notice.isoformat()})
                if outcome == "other.no_correction":
                    reply = add_workdays(notice, rng.randint(16, 22))
                    start = None
                else:
                    start = add_workdays(notice, rng.randint(2, 8))
                    events.append({"kind": "correction_received", "date": start.isoformat()})
            paused = 0
            if start and outcome in ("partially_disclosed", "withheld.third_party_rights") and rng.random() < 0.6:
                sent = add_workdays(start, rng.randint(2, 6))
                took = rng.randint(5, 15)
                answered = add_workdays(sent, took)
                events.append({"kind": "consultation_sent", "date": sent.isoformat(), "id": "1"})
                events.append({"kind": "consultation_answered", "date": answered.isoformat(), "id": "1"})
                paused = took
            if start:
                if rng.random() < 0.05:
                    extension = rng.choice([10, 15, 20])
                    ext_day = add_workdays(start, 18 + paused)
                    events.append({"kind": "extension", "date": ext_day.isoformat(), "working_days": extension})
                late = rng.random() < 0.015
                limit = 20 + paused + extension
                took = rng.randint(limit + 1, limit + 6) if late else rng.randint(min(3, limit), limit)
                if outcome == "other.other":
                    took = rng.randint(1, 10)
                reply = add_workdays(start, took)
                if any(dt.date.fromisoformat(e["date"]) >= reply for e in events):
                    reply = add_workdays(max(dt.date.fromisoformat(e["date"]) for e in events), 2)
            events.sort(key=lambda e: e["date"])
            line = {"org": org, "tracking": "", "applicant_type": kind,
                    "received_date": received.isoformat(), "outcome": outcome, "replied_date": reply.isoformat(),
                    "basis": bases}
            if reply > LAST_DAY:
                line["outcome"], line["replied_date"] = None, None
                del line["basis"]
                events = [e for e in events if dt.date.fromisoformat(e["date"]) <= LAST_DAY]
            name = COMPANIES.get(kind) or (rng.choice(SURNAMES) + "某某")
            line["applicant"] = {"name": name, "phone": f"1{rng.choice('3589')}{rng.randint(0, 9)}****{rng.randint(0, 9999):04d}"}
            line["description"] = f"申请公开{subject}。"
            if events:
                line["events"] = events
            if line["outcome"] and (line["outcome"].startswith(("withheld", "unavailable", "not_processed"))
                                    and rng.random() < 0.06):
                filed = reply + dt.timedelta(days=rng.randint(10, 55))
                review = {"kind": "reconsideration", "filed_date": filed.isoformat(), "result": None, "decided_date": None}
                decided = filed + dt.timedelta(days=rng.randint(30, 75))
                if decided <= LAST_DAY:
                    review["result"] = rng.choices(["upheld", "corrected", "other"], [70, 20, 10])[0]
                    review["decided_date"] = decided.isoformat()
                reviews = [review]
                if review["result"] == "upheld" and rng.random() < 0.3:
                    sued = decided + dt.timedelta(days=rng.randint(5, 14))
                    suit = {"kind": "litigation_after_reconsideration", "filed_date": sued.isoformat(),
                            "result": None, "decided_date": None}
                    judged = sued + dt.timedelta(days=rng.randint(60, 150))
                    if judged <= LAST_DAY:
                        suit["result"] = rng.choices(["upheld", "corrected", "other"], [80, 10, 10])[0]
                        suit["decided_date"] = judged.isoformat()
                    if sued <= LAST_DAY:
                        reviews.append(suit)
                line["reviews"] = [r for r in reviews if r["filed_date"] <= LAST_DAY.isoformat()]
                if not line["reviews"]:
                    del line["reviews"]
            lines.append(line)
    lines.sort(key=lambda l: (l["received_date"], l["org"], l["description"]))
    for line in lines:  # 查询码: unit, year, serial in order of receipt
        key = (line["org"], line["received_date"][:4])
        serials[key] = serials.get(key, 0) + 1
        line["tracking"] = f"{key[0]}-{key[1]}-{serials[key]:04d}"
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        for line in lines:
            f.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{len(lines)} requests written to {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
