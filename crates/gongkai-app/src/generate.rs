//! `gongkai generate`: benchmark data. A fictional city, 示范市, with its organization tree
//! (市政府办公厅, about 40 city departments, districts and counties with their departments and
//! 街道/乡镇), created in the database, and any number of document import lines (SPEC "Import
//! formats") spread over those organizations.
//!
//! Everything follows from the seed: the same seed and sizes give the same tree and the same
//! file, byte for byte, so benchmark runs on different machines count the same data. Bodies
//! are sentences of the demo corpus (`data/demo/corpus.jsonl`, the real laws and State Council
//! documents), recombined; titles, numbers, topics and columns use the vocabularies of
//! `gongkai-domain`, so every line passes `gongkai import documents`.

use std::io::{self, Write};

use gongkai_domain::OrgKind;
use gongkai_store::orgs;
use time::macros::date;
use time::{Date, Duration};

use crate::demo::CORPUS;
use crate::orgs::{OrgInput, create_in};
use crate::{App, Error, Result};

/// The fictional city's name; no real city is called so.
pub const CITY: &str = "示范市";
/// The most organizations a tree may have.
pub const MAX_ORGS: usize = 2000;

/// One organization of the generated city and what its documents are about.
#[derive(Clone, Debug)]
pub struct CityOrg {
    /// What `orgs::create_in` needs.
    pub input: OrgInput,
    /// 机关代字 used in document numbers.
    short_name: String,
    /// The place the organization governs or serves, e.g. 示范市鼓楼区.
    area: String,
    /// How its documents name their reach, e.g. 全区.
    scope: &'static str,
    /// Whom its notices address.
    addressees: &'static str,
    /// The theme of its documents (index into `THEMES`).
    theme: usize,
    /// How much it publishes, relative to the others.
    weight: f64,
    /// The root office: it alone issues the city's 地方政府规章 (decrees).
    root: bool,
}

impl CityOrg {
    /// The organization's code.
    pub fn code(&self) -> &str {
        &self.input.code
    }
}

/// What `create_orgs` did.
#[derive(Clone, Copy, Debug, Default)]
pub struct CreatedOrgs {
    /// Organizations created.
    pub created: usize,
    /// Organizations whose code existed already (left as they were).
    pub existing: usize,
}

/// A xorshift64* generator: small, fast, and the same on every platform and version.
#[derive(Clone, Debug)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        // SplitMix64 of the seed, so that seeds 1, 2, 3 start far apart; never zero.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 32) * n as u64) >> 32) as usize
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A subject matter of documents, with the 主题分类 (`一级\二级`) it falls under.
type Matter = (&'static str, &'static str);

/// What an organization's documents are about.
struct Theme {
    matters: &'static [Matter],
}

const T_OFFICE: usize = 0;
const T_STREET: usize = 30;

/// Themes, indexed by the constants above and by the department tables below.
const THEMES: &[Theme] = &[
    // 0: government offices.
    Theme {
        matters: &[
            ("政务公开", "综合政务\\政务公开"),
            ("政府信息公开", "综合政务\\政务公开"),
            ("优化营商环境", "国民经济管理、国有资产监管\\经济体制改革"),
            ("政务服务“一网通办”", "综合政务\\电子政务"),
            ("12345政务服务便民热线", "综合政务\\其他"),
            ("重点工作督查督办", "综合政务\\政务督查"),
            ("公文处理", "综合政务\\文秘工作"),
            ("为民办实事项目", "综合政务\\其他"),
            ("安全生产", "市场监管、安全生产监管\\安全生产监管"),
            ("防汛防台风", "综合政务\\应急管理"),
            ("重大行政决策", "综合政务\\其他"),
            ("政府网站和政务新媒体管理", "综合政务\\电子政务"),
        ],
    },
    // 1: 发展和改革.
    Theme {
        matters: &[
            (
                "国民经济和社会发展计划",
                "国民经济管理、国有资产监管\\宏观经济",
            ),
            ("重点项目建设", "国民经济管理、国有资产监管\\重大建设项目"),
            ("价格监测", "国民经济管理、国有资产监管\\物价"),
            ("社会信用体系建设", "财政、金融、审计\\社会信用体系建设"),
            ("以工代赈", "国民经济管理、国有资产监管\\其他"),
            ("节能降耗", "城乡建设、环境保护\\节能与资源综合利用"),
        ],
    },
    // 2: 教育.
    Theme {
        matters: &[
            ("义务教育招生入学", "科技、教育\\教育"),
            ("学前教育普惠发展", "科技、教育\\教育"),
            ("中小学课后服务", "科技、教育\\教育"),
            ("校园安全", "科技、教育\\教育"),
            ("教师队伍建设", "科技、教育\\教育"),
            ("学生资助", "科技、教育\\教育"),
            ("职业教育产教融合", "科技、教育\\教育"),
        ],
    },
    // 3: 科学技术.
    Theme {
        matters: &[
            ("高新技术企业培育", "科技、教育\\科技"),
            ("科技创新券", "科技、教育\\科技"),
            ("知识产权保护", "科技、教育\\知识产权"),
            ("科技成果转化", "科技、教育\\科技"),
        ],
    },
    // 4: 工业和信息化.
    Theme {
        matters: &[
            ("工业企业技术改造", "工业、交通\\机械制造与重工业"),
            ("中小企业纾困解难", "工业、交通\\其他"),
            ("5G基站建设", "工业、交通\\信息产业（含电信）"),
            ("数字经济发展", "工业、交通\\信息产业（含电信）"),
        ],
    },
    // 5: 公安.
    Theme {
        matters: &[
            ("道路交通安全管理", "公安、安全、司法\\公安"),
            ("户籍管理服务", "公安、安全、司法\\公安"),
            ("电动自行车安全治理", "公安、安全、司法\\公安"),
            ("电信网络诈骗防范", "公安、安全、司法\\公安"),
            ("烟花爆竹燃放管理", "公安、安全、司法\\公安"),
        ],
    },
    // 6: 民政.
    Theme {
        matters: &[
            ("城乡最低生活保障", "民政、扶贫、救灾\\社会福利"),
            ("养老服务体系建设", "民政、扶贫、救灾\\社会福利"),
            ("社区治理", "民政、扶贫、救灾\\其他"),
            ("地名管理", "民政、扶贫、救灾\\行政区划与地名"),
            ("社会组织管理", "民政、扶贫、救灾\\社团管理"),
            ("困境儿童保障", "人口与计划生育、妇女儿童工作\\妇女儿童"),
        ],
    },
    // 7: 司法.
    Theme {
        matters: &[
            ("法治政府建设", "公安、安全、司法\\司法"),
            ("人民调解", "公安、安全、司法\\司法"),
            ("公共法律服务", "公安、安全、司法\\司法"),
            ("行政执法监督", "公安、安全、司法\\司法"),
            ("普法依法治理", "公安、安全、司法\\司法"),
        ],
    },
    // 8: 财政.
    Theme {
        matters: &[
            ("预算管理", "财政、金融、审计\\财政"),
            ("政府采购", "财政、金融、审计\\财政"),
            ("财政资金绩效评价", "财政、金融、审计\\财政"),
            ("政府债务管理", "财政、金融、审计\\财政"),
            ("行政事业单位国有资产管理", "财政、金融、审计\\财政"),
        ],
    },
    // 9: 人力资源和社会保障.
    Theme {
        matters: &[
            ("稳就业", "劳动、人事、监察\\劳动就业"),
            ("职业技能提升行动", "劳动、人事、监察\\劳动就业"),
            ("根治欠薪", "劳动、人事、监察\\劳动就业"),
            ("企业职工基本养老保险", "劳动、人事、监察\\社会保障"),
            ("事业单位公开招聘", "劳动、人事、监察\\人事工作"),
        ],
    },
    // 10: 自然资源和规划.
    Theme {
        matters: &[
            ("国土空间规划", "城乡建设、环境保护\\城市规划"),
            ("耕地保护", "国土资源、能源\\土地"),
            ("不动产登记", "国土资源、能源\\土地"),
            ("土地征收", "国土资源、能源\\土地"),
            ("矿产资源管理", "国土资源、能源\\矿产"),
        ],
    },
    // 11: 生态环境.
    Theme {
        matters: &[
            ("大气污染防治", "城乡建设、环境保护\\环境监测、保护与治理"),
            ("水污染防治", "城乡建设、环境保护\\环境监测、保护与治理"),
            ("土壤污染防治", "城乡建设、环境保护\\环境监测、保护与治理"),
            (
                "生态环境保护督察整改",
                "城乡建设、环境保护\\环境监测、保护与治理",
            ),
            ("排污许可管理", "城乡建设、环境保护\\环境监测、保护与治理"),
        ],
    },
    // 12: 住房和城乡建设.
    Theme {
        matters: &[
            ("城镇老旧小区改造", "城乡建设、环境保护\\城乡建设（含住房）"),
            ("保障性租赁住房", "城乡建设、环境保护\\城乡建设（含住房）"),
            ("建筑施工安全", "城乡建设、环境保护\\城乡建设（含住房）"),
            ("物业管理", "城乡建设、环境保护\\城乡建设（含住房）"),
            (
                "房地产市场平稳健康发展",
                "城乡建设、环境保护\\城乡建设（含住房）",
            ),
        ],
    },
    // 13: 交通运输.
    Theme {
        matters: &[
            ("农村公路建设", "工业、交通\\公路"),
            ("城市公共交通", "工业、交通\\公路"),
            ("道路运输安全", "工业、交通\\公路"),
            ("交通运输综合执法", "工业、交通\\其他"),
        ],
    },
    // 14: 水利.
    Theme {
        matters: &[
            ("河长制", "农业、林业、水利\\水利"),
            ("防汛抗旱", "农业、林业、水利\\水利"),
            ("水土保持", "农业、林业、水利\\水利"),
            ("农村饮水安全", "农业、林业、水利\\水利"),
            ("水资源管理", "国土资源、能源\\水资源"),
        ],
    },
    // 15: 农业农村.
    Theme {
        matters: &[
            ("高标准农田建设", "农业、林业、水利\\农业、畜牧业、渔业"),
            ("乡村振兴", "农业、林业、水利\\其他"),
            ("粮食生产", "农业、林业、水利\\农业、畜牧业、渔业"),
            ("动物疫病防控", "农业、林业、水利\\农业、畜牧业、渔业"),
            ("农村人居环境整治", "农业、林业、水利\\其他"),
        ],
    },
    // 16: 商务.
    Theme {
        matters: &[
            ("促进消费", "商贸、海关、旅游\\国内贸易（含供销）"),
            ("外贸稳增长", "商贸、海关、旅游\\对外经贸合作"),
            ("电子商务进农村", "商贸、海关、旅游\\国内贸易（含供销）"),
            ("成品油市场管理", "商贸、海关、旅游\\国内贸易（含供销）"),
        ],
    },
    // 17: 文化和旅游.
    Theme {
        matters: &[
            ("公共文化服务体系建设", "文化、广电、新闻出版\\文化"),
            ("文物保护", "文化、广电、新闻出版\\文物"),
            ("旅游市场秩序整治", "商贸、海关、旅游\\旅游"),
            ("全民健身", "卫生、体育\\体育"),
            ("非物质文化遗产保护", "文化、广电、新闻出版\\文化"),
        ],
    },
    // 18: 卫生健康.
    Theme {
        matters: &[
            ("基层医疗卫生服务", "卫生、体育\\卫生"),
            ("突发公共卫生事件应急", "卫生、体育\\卫生"),
            ("家庭医生签约服务", "卫生、体育\\卫生"),
            ("爱国卫生运动", "卫生、体育\\卫生"),
            (
                "婴幼儿照护服务",
                "人口与计划生育、妇女儿童工作\\人口与计划生育",
            ),
        ],
    },
    // 19: 应急管理.
    Theme {
        matters: &[
            ("安全生产专项整治", "市场监管、安全生产监管\\安全生产监管"),
            ("自然灾害防治", "民政、扶贫、救灾\\减灾救灾"),
            ("森林防灭火", "综合政务\\应急管理"),
            ("应急预案管理", "综合政务\\应急管理"),
            ("危险化学品安全", "市场监管、安全生产监管\\安全生产监管"),
        ],
    },
    // 20: 市场监督管理.
    Theme {
        matters: &[
            ("食品安全", "市场监管、安全生产监管\\食品药品监管"),
            ("特种设备安全", "市场监管、安全生产监管\\质量监督"),
            ("市场主体登记", "市场监管、安全生产监管\\工商"),
            ("产品质量监督抽查", "市场监管、安全生产监管\\质量监督"),
            ("药品安全", "市场监管、安全生产监管\\食品药品监管"),
        ],
    },
    // 21: 医疗保障.
    Theme {
        matters: &[
            ("医疗保障基金监管", "劳动、人事、监察\\社会保障"),
            ("城乡居民基本医疗保险", "劳动、人事、监察\\社会保障"),
            ("药品集中带量采购", "卫生、体育\\医药管理"),
            ("长期护理保险", "劳动、人事、监察\\社会保障"),
        ],
    },
    // 22: 城市管理.
    Theme {
        matters: &[
            ("市容环境卫生", "城乡建设、环境保护\\城乡建设（含住房）"),
            ("生活垃圾分类", "城乡建设、环境保护\\城乡建设（含住房）"),
            ("违法建设治理", "城乡建设、环境保护\\城乡建设（含住房）"),
            ("户外广告设置管理", "城乡建设、环境保护\\城乡建设（含住房）"),
        ],
    },
    // 23: 统计.
    Theme {
        matters: &[
            ("经济普查", "国民经济管理、国有资产监管\\统计"),
            ("统计调查", "国民经济管理、国有资产监管\\统计"),
            ("统计执法检查", "国民经济管理、国有资产监管\\统计"),
        ],
    },
    // 24: 审计.
    Theme {
        matters: &[
            ("预算执行审计", "财政、金融、审计\\审计"),
            ("经济责任审计", "财政、金融、审计\\审计"),
            ("审计整改", "财政、金融、审计\\审计"),
        ],
    },
    // 25: 退役军人事务.
    Theme {
        matters: &[
            ("退役军人就业创业", "劳动、人事、监察\\军转安置"),
            ("优抚对象抚恤", "民政、扶贫、救灾\\优抚安置"),
            ("双拥工作", "民政、扶贫、救灾\\优抚安置"),
        ],
    },
    // 26: 国有资产, 金融.
    Theme {
        matters: &[
            ("国有企业改革", "国民经济管理、国有资产监管\\国有资产监管"),
            ("国有资产监管", "国民经济管理、国有资产监管\\国有资产监管"),
            ("防范和处置非法集资", "财政、金融、审计\\银行"),
            ("普惠金融", "财政、金融、审计\\银行"),
        ],
    },
    // 27: 信访, 数据.
    Theme {
        matters: &[
            ("信访工作", "综合政务\\信访"),
            ("矛盾纠纷排查化解", "综合政务\\信访"),
            ("政务数据共享", "综合政务\\电子政务"),
            ("公共数据开放", "综合政务\\电子政务"),
        ],
    },
    // 28: 林业.
    Theme {
        matters: &[
            ("森林资源保护", "农业、林业、水利\\林业"),
            ("林长制", "农业、林业、水利\\林业"),
            ("国土绿化", "农业、林业、水利\\林业"),
        ],
    },
    // 29: 民族宗教.
    Theme {
        matters: &[
            ("民族团结进步创建", "民族、宗教\\民族事务"),
            ("宗教活动场所管理", "民族、宗教\\宗教事务"),
        ],
    },
    // 30: 街道, 乡镇.
    Theme {
        matters: &[
            ("社区网格化服务管理", "综合政务\\其他"),
            ("辖区安全生产检查", "市场监管、安全生产监管\\安全生产监管"),
            ("防汛防台风", "综合政务\\应急管理"),
            ("生活垃圾分类", "城乡建设、环境保护\\城乡建设（含住房）"),
            ("居家养老服务", "民政、扶贫、救灾\\社会福利"),
            ("人居环境整治", "农业、林业、水利\\其他"),
            ("政务公开", "综合政务\\政务公开"),
            ("退役军人服务站建设", "民政、扶贫、救灾\\优抚安置"),
        ],
    },
];

/// City departments: name after 示范市, 机关代字 after 示, theme, relative output.
const CITY_DEPARTMENTS: &[(&str, &str, usize, f64)] = &[
    ("发展和改革委员会", "发改", 1, 1.5),
    ("教育局", "教", 2, 2.0),
    ("科学技术局", "科", 3, 0.8),
    ("工业和信息化局", "工信", 4, 1.0),
    ("民族宗教事务局", "民宗", 29, 0.4),
    ("公安局", "公", 5, 1.6),
    ("民政局", "民", 6, 1.2),
    ("司法局", "司", 7, 0.9),
    ("财政局", "财", 8, 1.8),
    ("人力资源和社会保障局", "人社", 9, 1.7),
    ("自然资源和规划局", "自然资源规划", 10, 1.6),
    ("生态环境局", "环", 11, 1.3),
    ("住房和城乡建设局", "建", 12, 1.8),
    ("交通运输局", "交", 13, 1.2),
    ("水利局", "水", 14, 0.9),
    ("农业农村局", "农", 15, 1.3),
    ("商务局", "商", 16, 1.0),
    ("文化和旅游局", "文旅", 17, 1.0),
    ("卫生健康委员会", "卫健", 18, 1.8),
    ("退役军人事务局", "退役军人", 25, 0.5),
    ("应急管理局", "应急", 19, 1.2),
    ("审计局", "审", 24, 0.6),
    ("人民政府国有资产监督管理委员会", "国资", 26, 0.7),
    ("市场监督管理局", "市监", 20, 1.9),
    ("体育局", "体", 17, 0.5),
    ("统计局", "统", 23, 0.8),
    ("医疗保障局", "医保", 21, 1.0),
    ("城市管理委员会", "城管委", 22, 1.2),
    ("人民政府外事办公室", "外", 0, 0.3),
    ("信访局", "信访", 27, 0.4),
    ("林业局", "林", 28, 0.6),
    ("地方金融监督管理局", "金融", 26, 0.5),
    ("大数据管理局", "数据", 27, 0.6),
    ("粮食和物资储备局", "粮储", 15, 0.4),
    ("人民防空办公室", "人防", 19, 0.3),
    ("机关事务管理局", "机管", 8, 0.4),
    ("行政审批局", "审批", 0, 1.1),
    ("海洋与渔业局", "海渔", 15, 0.5),
    ("住房公积金管理中心", "公积金", 12, 0.5),
    ("投资促进局", "投促", 16, 0.4),
    ("乡村振兴局", "乡村振兴", 15, 0.5),
];

/// District and county departments, core ones first (a district has the first 20 to 25).
const DISTRICT_DEPARTMENTS: &[(&str, &str, usize, f64)] = &[
    ("发展和改革局", "发改", 1, 1.2),
    ("教育局", "教", 2, 2.0),
    ("公安分局", "公", 5, 1.2),
    ("民政局", "民", 6, 1.2),
    ("司法局", "司", 7, 0.7),
    ("财政局", "财", 8, 1.5),
    ("人力资源和社会保障局", "人社", 9, 1.4),
    ("自然资源局", "自然资源", 10, 1.0),
    ("生态环境局", "环", 11, 0.9),
    ("住房和城乡建设局", "建", 12, 1.4),
    ("交通运输局", "交", 13, 0.8),
    ("农业农村局", "农", 15, 1.2),
    ("商务局", "商", 16, 0.7),
    ("文化体育和旅游局", "文体旅", 17, 0.9),
    ("卫生健康局", "卫健", 18, 1.5),
    ("应急管理局", "应急", 19, 1.0),
    ("市场监督管理局", "市监", 20, 1.6),
    ("医疗保障局", "医保", 21, 0.8),
    ("城市管理局", "城管", 22, 1.0),
    ("统计局", "统", 23, 0.6),
    ("水利局", "水", 14, 0.7),
    ("退役军人事务局", "退役军人", 25, 0.4),
    ("审计局", "审", 24, 0.4),
    ("科学技术和工业信息化局", "科工信", 4, 0.6),
    ("信访局", "信访", 27, 0.3),
    ("林业局", "林", 28, 0.5),
    ("数据管理局", "数据", 27, 0.4),
];

/// Districts (区) and counties (县): name, the one-character 机关代字 prefix, code letters.
const DISTRICTS: &[(&str, &str, &str)] = &[
    ("鼓楼区", "鼓", "GL"),
    ("临江区", "临", "LJ"),
    ("云台区", "云", "YT"),
    ("清溪区", "清", "QX"),
    ("望海区", "望", "WH"),
    ("青山区", "青", "QS"),
    ("新城区", "新", "XC"),
    ("白沙县", "白", "BS"),
    ("桃源县", "桃", "TY"),
    ("松岭县", "松", "SL"),
    ("梅溪县", "梅", "MX"),
    ("石门县", "石", "SM"),
    ("金沙县", "金", "JS"),
    ("龙泉县", "龙", "LQ"),
    ("安平县", "安", "AP"),
    ("永宁县", "永", "YN"),
];

/// First and second characters of the further counties a large tree needs.
const MORE_FIRST: [&str; 8] = ["东", "西", "南", "北", "长", "宁", "丰", "华"];
const MORE_SECOND: [&str; 8] = ["阳", "平", "和", "泰", "兴", "源", "川", "乐"];

/// Names of 街道 and 乡镇.
const PLACES: &[&str] = &[
    "东街", "南街", "西湖", "北峰", "文峰", "华林", "安泰", "水部", "五凤", "温泉", "洪山", "中山",
    "解放", "建设", "人民", "新华", "胜利", "和平", "光明", "朝阳", "龙山", "凤凰", "桂湖", "江滨",
    "金山", "银湖", "玉泉", "青峰", "白云", "翠屏", "梅林", "竹园", "桃园", "柳溪", "松坡", "石桥",
    "平安", "永安", "长乐", "兴隆",
];

/// The organization tree of 示范市 with `count` organizations (1 to [`MAX_ORGS`]): the
/// office first, then the city departments, then district after district, each with its
/// office, departments and 街道 (districts) or 乡镇 (counties). The same `seed` gives the
/// same tree.
pub fn city(count: usize, seed: u64) -> Result<Vec<CityOrg>> {
    if count == 0 || count > MAX_ORGS {
        return Err(Error::Invalid(format!(
            "机构数须在 1 到 {MAX_ORGS} 之间，而不是 {count}"
        )));
    }
    let mut rng = Rng::new(seed ^ 0x6F72_6773);
    // A heavy tail: most organizations publish little, a few a lot.
    let skew = |rng: &mut Rng| 0.25 + 3.0 * rng.unit().powi(3);
    let mut out = Vec::with_capacity(count);
    let root_code = "SF00101".to_owned();
    out.push(CityOrg {
        input: OrgInput {
            code: root_code.clone(),
            name: format!("{CITY}人民政府办公厅"),
            short_name: Some("示政办".into()),
            kind: OrgKind::Office,
            parent: None,
            index_pattern: None,
        },
        short_name: "示政办".into(),
        area: CITY.into(),
        scope: "全市",
        addressees: "各区县人民政府，市直各单位：",
        theme: T_OFFICE,
        weight: 40.0,
        root: true,
    });
    for (i, (name, short, theme, weight)) in CITY_DEPARTMENTS.iter().enumerate() {
        let short = format!("示{short}");
        out.push(CityOrg {
            input: OrgInput {
                code: format!("SF{:03}01", i + 2),
                name: format!("{CITY}{name}"),
                short_name: Some(short.clone()),
                kind: OrgKind::Department,
                parent: Some(root_code.clone()),
                index_pattern: None,
            },
            short_name: short,
            area: CITY.into(),
            scope: "全市",
            addressees: "各区县有关部门，市直有关单位：",
            theme: *theme,
            weight: 10.0 * weight * skew(&mut rng),
            root: false,
        });
    }
    let mut district = 0;
    while out.len() < count {
        let (name, prefix, letters) = match DISTRICTS.get(district) {
            Some(&(name, prefix, letters)) => (name.to_owned(), prefix.to_owned(), letters.into()),
            None => {
                let k = district - DISTRICTS.len();
                let (a, b) = (k / MORE_SECOND.len(), k % MORE_SECOND.len());
                let Some(first) = MORE_FIRST.get(a) else {
                    break;
                };
                let stem = format!("{first}{}", MORE_SECOND[b]);
                (format!("{stem}县"), stem, format!("X{k:02}"))
            }
        };
        let county = name.ends_with('县');
        let scope = if county { "全县" } else { "全区" };
        let area = format!("{CITY}{name}");
        let office_code = format!("SF{letters}00101");
        let office_short = format!("{prefix}政办");
        out.push(CityOrg {
            input: OrgInput {
                code: office_code.clone(),
                name: format!("{area}人民政府办公室"),
                short_name: Some(office_short.clone()),
                kind: OrgKind::Office,
                parent: Some(root_code.clone()),
                index_pattern: None,
            },
            short_name: office_short,
            area: area.clone(),
            scope,
            addressees: if county {
                "各乡镇人民政府，县直各单位："
            } else {
                "各街道办事处，区直各单位："
            },
            theme: T_OFFICE,
            weight: 20.0 * skew(&mut rng),
            root: false,
        });
        let departments = 20 + rng.below(6);
        for (k, (dept, short, theme, weight)) in
            DISTRICT_DEPARTMENTS.iter().take(departments).enumerate()
        {
            let short = format!("{prefix}{short}");
            out.push(CityOrg {
                input: OrgInput {
                    code: format!("SF{letters}{:03}01", k + 2),
                    name: format!("{area}{dept}"),
                    short_name: Some(short.clone()),
                    kind: OrgKind::Department,
                    parent: Some(office_code.clone()),
                    index_pattern: None,
                },
                short_name: short,
                area: area.clone(),
                scope,
                addressees: "各有关单位：",
                theme: *theme,
                weight: 3.0 * weight * skew(&mut rng),
                root: false,
            });
        }
        let places = 10 + rng.below(6);
        let start = district * 7;
        for m in 0..places {
            let place = PLACES[(start + m) % PLACES.len()];
            let (full, short, kind, addressees) = if county {
                (
                    format!("{area}{place}镇人民政府"),
                    format!("{place}镇"),
                    OrgKind::Town,
                    "各村（居）民委员会，镇直各单位：",
                )
            } else {
                (
                    format!("{area}{place}街道办事处"),
                    format!("{place}街"),
                    OrgKind::Subdistrict,
                    "各社区居民委员会，辖区各单位：",
                )
            };
            out.push(CityOrg {
                input: OrgInput {
                    code: format!("SF{letters}100{:02}", m + 1),
                    name: full,
                    short_name: Some(short.clone()),
                    kind,
                    parent: Some(office_code.clone()),
                    index_pattern: None,
                },
                short_name: short,
                area: format!("{area}{place}{}", if county { "镇" } else { "街道" }),
                scope: if county { "全镇" } else { "全街道" },
                addressees,
                theme: T_STREET,
                weight: 1.2 * skew(&mut rng),
                root: false,
            });
        }
        district += 1;
    }
    out.truncate(count);
    Ok(out)
}

/// Creates the organizations of `tree` whose codes do not exist yet, parents before
/// children, in one transaction; `progress(done, total)` after each.
pub async fn create_orgs(
    app: &App,
    tree: &[CityOrg],
    mut progress: impl FnMut(u64, u64),
) -> Result<CreatedOrgs> {
    let mut tx = app.db().begin().await?;
    let existing: std::collections::HashSet<String> = orgs::all(&mut tx)
        .await?
        .into_iter()
        .map(|o| o.code)
        .collect();
    let mut report = CreatedOrgs::default();
    let total = tree.len() as u64;
    for (i, org) in tree.iter().enumerate() {
        if existing.contains(org.code()) {
            report.existing += 1;
        } else {
            create_in(&mut tx, &org.input, app.now()).await?;
            report.created += 1;
        }
        progress(i as u64 + 1, total);
    }
    tx.commit().await?;
    Ok(report)
}

/// Where a record goes and how its title, kind and number are made.
#[derive(Clone, Copy)]
struct Template {
    /// Relative frequency.
    weight: u32,
    /// 公文种类 label.
    kind: &'static str,
    /// Column path.
    column: &'static str,
    /// Title: `{o}` organization, `{a}` area, `{s}` scope, `{m}` matter, `{y}` year,
    /// `{p}` previous year, `{q}` a number 1–4, `{e}` an emergency.
    title: &'static str,
    /// Document number.
    number: Number,
    /// Fixed 主题分类, else the matter's.
    topic: Option<&'static str>,
    /// 公开时限 code when the line names one.
    term: &'static str,
    /// Whether it is a policy that may expire or be repealed.
    policy: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Number {
    /// `{代字}〔年〕n号`.
    Plain,
    /// `{代字}发〔年〕n号` (the offices' main series).
    Issued,
    /// `{代字}函〔年〕n号`.
    Letter,
    /// `{代字}规〔年〕n号` (规范性文件).
    Normative,
    /// `{代字}罚〔年〕n号` (行政处罚决定).
    Penalty,
    /// `示范市人民政府令第n号`.
    Decree,
    /// None.
    Missing,
}

const POLICY: &str = "法定主动公开内容/政策文件";

const fn policy(weight: u32, kind: &'static str, title: &'static str, number: Number) -> Template {
    Template {
        weight,
        kind,
        column: POLICY,
        title,
        number,
        topic: None,
        term: "long_term",
        policy: true,
    }
}

const fn other(
    weight: u32,
    kind: &'static str,
    column: &'static str,
    title: &'static str,
    number: Number,
    topic: Option<&'static str>,
    term: &'static str,
) -> Template {
    Template {
        weight,
        kind,
        column,
        title,
        number,
        topic,
        term,
        policy: false,
    }
}

const GENERAL: Option<&str> = Some("综合政务\\政务公开");

/// The 管理办法 template, issued instead of a 规章 by units without decrees.
const NORMATIVE_TEMPLATE: usize = 9;

/// Every template; weights are per mille of records, roughly.
const TEMPLATES: &[Template] = &[
    policy(
        70,
        "通知",
        "{o}关于印发《{s}{m}工作方案》的通知",
        Number::Issued,
    ),
    policy(60, "通知", "{o}关于做好{y}年{m}工作的通知", Number::Plain),
    policy(45, "通知", "{o}关于开展{m}专项行动的通知", Number::Plain),
    policy(45, "通知", "{o}关于进一步加强{m}工作的通知", Number::Issued),
    policy(40, "方案", "{a}{m}实施方案", Number::Plain),
    policy(40, "方案", "{a}{y}年{m}工作要点", Number::Plain),
    policy(
        30,
        "意见",
        "{o}关于推进{m}高质量发展的实施意见",
        Number::Issued,
    ),
    policy(25, "批复", "{o}关于同意{m}有关事项的批复", Number::Letter),
    policy(20, "通告", "{o}关于{m}有关事项的通告", Number::Plain),
    policy(30, "规范性文件", "{a}{m}管理办法", Number::Normative),
    policy(15, "规范性文件", "{a}{m}实施细则", Number::Normative),
    policy(20, "报告", "{o}关于{p}年{m}工作情况的报告", Number::Plain),
    policy(25, "函", "{o}关于商请协助做好{m}工作的函", Number::Letter),
    policy(10, "纪要", "{o}{m}工作专题会议纪要", Number::Missing),
    policy(20, "通报", "{o}关于{p}年度{m}工作情况的通报", Number::Plain),
    policy(
        8,
        "决定",
        "{o}关于表彰{p}年度{m}工作先进集体和先进个人的决定",
        Number::Issued,
    ),
    policy(4, "地方政府规章", "{a}{m}管理规定", Number::Decree),
    other(
        12,
        "其他",
        "法定主动公开内容/机构职能",
        "{o}主要职责和内设机构",
        Number::Missing,
        None,
        "long_term",
    ),
    other(
        20,
        "方案",
        "法定主动公开内容/规划信息",
        "{a}{m}专项规划",
        Number::Issued,
        None,
        "long_term",
    ),
    other(
        30,
        "其他",
        "法定主动公开内容/统计信息",
        "{a}{y}年第{q}季度{m}统计数据",
        Number::Missing,
        None,
        "periodic",
    ),
    other(
        25,
        "公告",
        "法定主动公开内容/行政许可",
        "{o}{y}年第{q}批行政许可事项办理结果公示",
        Number::Missing,
        None,
        "immediate",
    ),
    other(
        25,
        "决定",
        "法定主动公开内容/行政处罚和行政强制",
        "{o}{y}年第{q}批行政处罚案件信息公开",
        Number::Penalty,
        None,
        "immediate",
    ),
    other(
        20,
        "其他",
        "法定主动公开内容/财政预决算",
        "{o}{y}年部门预算",
        Number::Missing,
        Some("财政、金融、审计\\财政"),
        "periodic",
    ),
    other(
        12,
        "其他",
        "法定主动公开内容/财政预决算",
        "{o}{p}年部门决算",
        Number::Missing,
        Some("财政、金融、审计\\财政"),
        "periodic",
    ),
    other(
        6,
        "其他",
        "法定主动公开内容/行政事业性收费",
        "{o}行政事业性收费项目目录清单（{y}年）",
        Number::Missing,
        Some("财政、金融、审计\\财政"),
        "long_term",
    ),
    other(
        20,
        "公告",
        "法定主动公开内容/政府采购",
        "{o}{y}年{m}项目政府采购意向公开",
        Number::Missing,
        Some("财政、金融、审计\\财政"),
        "immediate",
    ),
    other(
        12,
        "其他",
        "法定主动公开内容/重大建设项目",
        "{a}{m}重大建设项目批准和实施信息",
        Number::Missing,
        Some("国民经济管理、国有资产监管\\重大建设项目"),
        "immediate",
    ),
    other(
        20,
        "公告",
        "法定主动公开内容/社会保障和民生",
        "{o}关于{y}年{m}有关情况的公示",
        Number::Missing,
        None,
        "immediate",
    ),
    other(
        12,
        "方案",
        "法定主动公开内容/应急管理",
        "{a}{e}应急预案",
        Number::Issued,
        Some("综合政务\\应急管理"),
        "long_term",
    ),
    other(
        15,
        "公告",
        "法定主动公开内容/监督检查",
        "{o}{y}年{m}“双随机、一公开”抽查结果公示",
        Number::Missing,
        None,
        "immediate",
    ),
    other(
        20,
        "公告",
        "法定主动公开内容/人事信息",
        "{o}{y}年公开招聘工作人员公告",
        Number::Missing,
        Some("劳动、人事、监察\\人事工作"),
        "immediate",
    ),
    other(
        10,
        "其他",
        "法定主动公开内容/其他法定公开内容",
        "{o}关于{m}有关情况的说明",
        Number::Missing,
        None,
        "long_term",
    ),
    other(
        15,
        "其他",
        "政府信息公开指南",
        "{o}政府信息公开指南",
        Number::Missing,
        GENERAL,
        "long_term",
    ),
    other(
        8,
        "规范性文件",
        "政府信息公开制度",
        "{o}政府信息公开保密审查制度",
        Number::Normative,
        GENERAL,
        "long_term",
    ),
    other(
        7,
        "其他",
        "政府信息公开制度",
        "{o}依申请公开政府信息工作规程",
        Number::Plain,
        GENERAL,
        "long_term",
    ),
    other(
        30,
        "报告",
        "政府信息公开年度报告",
        "{o}{p}年政府信息公开工作年度报告",
        Number::Missing,
        GENERAL,
        "periodic",
    ),
    other(
        5,
        "其他",
        "依申请公开/办理流程",
        "{o}依申请公开办理流程",
        Number::Missing,
        GENERAL,
        "long_term",
    ),
];

/// What the 应急预案 are for.
const EMERGENCIES: &[&str] = &[
    "防汛防台风",
    "森林火灾",
    "突发公共卫生事件",
    "生产安全事故",
    "地质灾害",
    "食品安全事故",
    "重污染天气",
    "突发环境事件",
    "大面积停电事件",
    "地震",
];

/// Records per year, 2015–2026: output grows as the platforms fill.
const YEARS: [(Date, u32); 12] = [
    (date!(2015 - 01 - 01), 4),
    (date!(2016 - 01 - 01), 5),
    (date!(2017 - 01 - 01), 6),
    (date!(2018 - 01 - 01), 7),
    (date!(2019 - 01 - 01), 8),
    (date!(2020 - 01 - 01), 9),
    (date!(2021 - 01 - 01), 10),
    (date!(2022 - 01 - 01), 11),
    (date!(2023 - 01 - 01), 12),
    (date!(2024 - 01 - 01), 12),
    (date!(2025 - 01 - 01), 12),
    (date!(2026 - 01 - 01), 11),
];
/// Days of 2026 a record may be published on, so that none lies in the future.
const DAYS_2026: usize = 330;

/// A weighted choice by binary search over cumulative weights.
struct Weighted {
    cumulative: Vec<f64>,
}

impl Weighted {
    fn new(weights: impl IntoIterator<Item = f64>) -> Weighted {
        let mut sum = 0.0;
        let cumulative = weights
            .into_iter()
            .map(|w| {
                sum += w.max(0.0);
                sum
            })
            .collect();
        Weighted { cumulative }
    }

    fn pick(&self, rng: &mut Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let x = rng.unit() * total;
        self.cumulative
            .partition_point(|&c| c <= x)
            .min(self.cumulative.len().saturating_sub(1))
    }
}

/// Sentences of the corpus, JSON-escaped, each ending in 。.
fn corpus_sentences() -> Result<Vec<String>> {
    let mut out = Vec::new();
    for line in CORPUS.lines().filter(|l| !l.trim().is_empty()) {
        let value: serde_json::Value = serde_json::from_str(line)
            .map_err(|e| Error::internal(format!("corpus.jsonl: {e}")))?;
        let Some(body) = value.get("body_text").and_then(|b| b.as_str()) else {
            continue;
        };
        for paragraph in body.lines() {
            for sentence in paragraph.split('。') {
                let s = sentence.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
                let s = s.trim_end_matches(['；', '，', '、', ';', ',']);
                let chars = s.chars().count();
                // Headings, article numbers, list items and fragments make poor prose.
                let listed = s.starts_with(|c: char| {
                    c.is_ascii_digit() || "第（(一二三四五六七八九十".contains(c)
                });
                if !(16..=160).contains(&chars)
                    || listed
                    || s.ends_with(['：', ':'])
                    || s.contains("令第")
                {
                    continue;
                }
                let mut escaped = String::with_capacity(s.len() + 4);
                push_json(&mut escaped, s);
                escaped.push('。');
                out.push(escaped);
            }
        }
    }
    if out.is_empty() {
        return Err(Error::internal("corpus.jsonl has no sentences"));
    }
    Ok(out)
}

/// Appends `s` escaped as the inside of a JSON string.
fn push_json(out: &mut String, s: &str) {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            out.push_str(&format!("\\u{b:04x}"));
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

/// Writes import lines, one record at a time.
pub struct Generator<'a> {
    orgs: &'a [CityOrg],
    sentences: Vec<String>,
    rng: Rng,
    by_org: Weighted,
    by_template: Weighted,
    by_year: Weighted,
    /// The last serial given per (organization, year).
    serials: Vec<[u32; YEARS.len()]>,
    decrees: u32,
    /// Lines made so far, numbering each line's `external_id`.
    made: u64,
    line: String,
    title: String,
}

impl<'a> Generator<'a> {
    /// A generator over `orgs` (not empty) for `seed`.
    pub fn new(orgs: &'a [CityOrg], seed: u64) -> Result<Generator<'a>> {
        if orgs.is_empty() {
            return Err(Error::Invalid("没有机构可以生成文件".into()));
        }
        Ok(Generator {
            orgs,
            sentences: corpus_sentences()?,
            rng: Rng::new(seed),
            by_org: Weighted::new(orgs.iter().map(|o| o.weight)),
            by_template: Weighted::new(TEMPLATES.iter().map(|t| f64::from(t.weight))),
            by_year: Weighted::new(YEARS.iter().map(|&(_, w)| f64::from(w))),
            serials: vec![[0; YEARS.len()]; orgs.len()],
            decrees: 0,
            made: 0,
            line: String::with_capacity(8192),
            title: String::with_capacity(256),
        })
    }

    /// The next record as one JSON line, newline included.
    pub fn next_line(&mut self) -> &str {
        let orgs = self.orgs;
        let rng = &mut self.rng;
        let org_index = self.by_org.pick(rng);
        let org = &orgs[org_index];
        let mut template = TEMPLATES[self.by_template.pick(rng)];
        if template.number == Number::Decree && !org.root {
            // A unit without the power to issue 规章 issues a 规范性文件 instead.
            template = TEMPLATES[NORMATIVE_TEMPLATE];
        }
        let theme = &THEMES[org.theme];
        let &(matter, matter_topic) = rng.pick(theme.matters);

        let year_index = self.by_year.pick(rng);
        let (january_1, _) = YEARS[year_index];
        let year = january_1.year();
        let days = if year == 2026 { DAYS_2026 } else { 365 };
        let published = january_1 + Duration::days(rng.below(days) as i64);
        let written = published - Duration::days(rng.below(21) as i64);
        let quarter = 1 + rng.below(4);
        let emergency = *rng.pick(EMERGENCIES);

        // Title.
        self.title.clear();
        let words = Words {
            org,
            matter,
            emergency,
            year: written.year(),
            quarter,
        };
        render(&mut self.title, template.title, &words);

        // Document number.
        let number_year = written.year();
        let serial = {
            let slot = &mut self.serials[org_index][year_index];
            *slot += 1 + rng.below(3) as u32;
            *slot
        };
        let doc_number = match template.number {
            Number::Missing => None,
            Number::Decree => {
                self.decrees += 1;
                Some(format!("{CITY}人民政府令第{}号", self.decrees))
            }
            n => {
                let suffix = match n {
                    Number::Issued => "发",
                    Number::Letter => "函",
                    Number::Normative => "规",
                    Number::Penalty => "罚",
                    _ => "",
                };
                // Old systems wrote a few with square brackets; the import makes them canonical.
                let (open, close) = if rng.chance(3) {
                    ("[", "]")
                } else {
                    ("〔", "〕")
                };
                Some(format!(
                    "{}{suffix}{open}{number_year}{close}{serial}号",
                    org.short_name
                ))
            }
        };
        let issuer: &str = if template.number == Number::Decree {
            "示范市人民政府"
        } else {
            &org.input.name
        };

        let validity = if template.policy {
            let age = 2026 - year;
            let roll = rng.below(100);
            if age >= 5 && roll < 20 || age >= 2 && roll < 4 {
                "expired"
            } else if age >= 5 && roll < 28 || age >= 2 && roll < 6 {
                "repealed"
            } else {
                "valid"
            }
        } else {
            "valid"
        };

        let line = &mut self.line;
        line.clear();
        // An old system's record number: two records without a 发文字号 may share title and
        // dates, and an import tells records apart by it.
        self.made += 1;
        line.push_str("{\"external_id\":\"SF-");
        line.push_str(&self.made.to_string());
        line.push_str("\",\"org\":\"");
        push_json(line, org.code());
        line.push_str("\",\"title\":\"");
        push_json(line, &self.title);
        line.push('"');
        if let Some(n) = &doc_number {
            line.push_str(",\"doc_number\":\"");
            push_json(line, n);
            line.push('"');
        }
        line.push_str(",\"issuer\":\"");
        push_json(line, issuer);
        line.push_str("\",\"topic\":\"");
        push_json(line, template.topic.unwrap_or(matter_topic));
        line.push_str("\",\"kind\":\"");
        line.push_str(template.kind);
        line.push_str("\",\"written_date\":\"");
        push_date(line, written);
        line.push_str("\",\"published_date\":\"");
        push_date(line, published);
        line.push_str("\",\"validity\":\"");
        line.push_str(validity);
        line.push_str("\",\"column\":\"");
        line.push_str(template.column);
        line.push('"');
        if rng.chance(20) {
            line.push_str(",\"formed_date\":\"");
            push_date(line, written);
            line.push('"');
        }
        if rng.chance(30) {
            line.push_str(",\"disclosure_term\":\"");
            line.push_str(template.term);
            line.push('"');
        }
        line.push_str(",\"body_text\":\"");
        // The body: an address line for the kinds sent to other units, about 2 KB of corpus
        // sentences in paragraphs, and the signature.
        if matches!(
            template.kind,
            "通知" | "意见" | "通报" | "决定" | "函" | "批复"
        ) {
            push_json(line, org.addressees);
            line.push_str("\\n");
        }
        let body_start = line.len();
        let target = 1700 + rng.below(700);
        let mut at = rng.below(self.sentences.len());
        while line.len() - body_start < target {
            let sentences = 2 + rng.below(4);
            for _ in 0..sentences {
                line.push_str(&self.sentences[at]);
                at = (at + 1) % self.sentences.len();
            }
            line.push_str("\\n");
            if rng.chance(15) {
                at = rng.below(self.sentences.len());
            }
        }
        push_json(line, issuer);
        line.push_str("\\n");
        line.push_str(&format!(
            "{}年{}月{}日",
            written.year(),
            u8::from(written.month()),
            written.day()
        ));
        line.push_str("\"}\n");
        &self.line
    }
}

fn push_date(out: &mut String, d: Date) {
    use std::fmt::Write as _;
    let _ = write!(
        out,
        "{:04}-{:02}-{:02}",
        d.year(),
        u8::from(d.month()),
        d.day()
    );
}

/// What a title template's placeholders stand for.
struct Words<'a> {
    org: &'a CityOrg,
    matter: &'a str,
    emergency: &'a str,
    year: i32,
    quarter: usize,
}

/// Fills a title template (see [`Template::title`]).
fn render(out: &mut String, template: &str, w: &Words<'_>) {
    let mut chars = template.chars();
    while let Some(c) = chars.next() {
        if c != '{' {
            out.push(c);
            continue;
        }
        let key = chars.next();
        chars.next(); // '}'
        match key {
            Some('o') => out.push_str(&w.org.input.name),
            Some('a') => out.push_str(&w.org.area),
            Some('s') => out.push_str(w.org.scope),
            Some('m') => out.push_str(w.matter),
            Some('e') => out.push_str(w.emergency),
            Some('y') => out.push_str(&w.year.to_string()),
            Some('p') => out.push_str(&(w.year - 1).to_string()),
            Some('q') => out.push_str(&w.quarter.to_string()),
            _ => {}
        }
    }
}

/// Writes `records` import lines over `orgs` to `out`; `progress(records_written, bytes)`
/// every few thousand records. Returns the bytes written.
pub fn write_documents(
    out: &mut impl Write,
    orgs: &[CityOrg],
    records: u64,
    seed: u64,
    mut progress: impl FnMut(u64, u64),
) -> io::Result<u64> {
    let mut generator = Generator::new(orgs, seed).map_err(|e| io::Error::other(e.to_string()))?;
    let mut bytes = 0u64;
    for i in 0..records {
        let line = generator.next_line();
        out.write_all(line.as_bytes())?;
        bytes += line.len() as u64;
        if (i + 1) % 4096 == 0 {
            progress(i + 1, bytes);
        }
    }
    out.flush()?;
    progress(records, bytes);
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::collections::{HashMap, HashSet};

    use gongkai_domain::{Topic, validate_line};

    use super::*;

    #[test]
    fn the_default_tree_has_500_organizations_with_unique_codes_and_parents_first() {
        let tree = city(500, 1).unwrap();
        assert_eq!(tree.len(), 500);
        let mut seen = HashSet::new();
        for o in &tree {
            if let Some(p) = &o.input.parent {
                assert!(
                    seen.contains(p.as_str()),
                    "{} before its parent {p}",
                    o.code()
                );
            }
            assert!(seen.insert(o.code()), "duplicate code {}", o.code());
            gongkai_domain::OrgCode::parse(o.code()).unwrap();
        }
        let districts = tree
            .iter()
            .filter(|o| o.input.kind == OrgKind::Office && o.input.parent.is_some())
            .count();
        assert!((12..=14).contains(&districts), "{districts} districts");
    }

    #[test]
    fn the_largest_tree_is_built() {
        assert_eq!(city(MAX_ORGS, 7).unwrap().len(), MAX_ORGS);
        assert!(city(0, 1).is_err());
        assert!(city(MAX_ORGS + 1, 1).is_err());
    }

    #[test]
    fn every_topic_of_the_themes_is_in_the_taxonomy() {
        for theme in THEMES {
            for (matter, topic) in theme.matters {
                Topic::parse(topic).unwrap_or_else(|e| panic!("{matter}: {topic}: {e}"));
            }
        }
        for t in TEMPLATES {
            if let Some(topic) = t.topic {
                Topic::parse(topic).unwrap();
            }
        }
        assert_eq!(THEMES.len(), T_STREET + 1);
        assert_eq!(TEMPLATES[NORMATIVE_TEMPLATE].kind, "规范性文件");
    }

    #[test]
    fn every_line_validates_and_numbers_are_canonical_or_decrees() {
        let tree = city(500, 1).unwrap();
        let mut generator = Generator::new(&tree, 1).unwrap();
        let mut kinds = HashMap::new();
        let mut sizes = 0;
        for _ in 0..3000 {
            let line = generator.next_line().to_owned();
            assert!(line.ends_with('\n'));
            let (doc, warnings) =
                validate_line(line.trim_end()).unwrap_or_else(|e| panic!("{e:?}\n{line}"));
            assert!(warnings.is_empty(), "{warnings:?}\n{line}");
            *kinds.entry(doc.kind).or_insert(0) += 1;
            sizes += line.len();
        }
        assert!(kinds.len() >= 12, "{kinds:?}");
        let average = sizes / 3000;
        assert!((2000..3500).contains(&average), "{average} bytes a line");
    }

    #[test]
    fn the_same_seed_gives_the_same_file() {
        let tree = city(100, 3).unwrap();
        let mut a = Vec::new();
        let mut b = Vec::new();
        write_documents(&mut a, &tree, 50, 9, |_, _| {}).unwrap();
        write_documents(&mut b, &tree, 50, 9, |_, _| {}).unwrap();
        assert_eq!(a, b);
        let mut c = Vec::new();
        write_documents(&mut c, &tree, 50, 10, |_, _| {}).unwrap();
        assert_ne!(a, c);
    }

    #[test]
    fn json_escaping_keeps_quotes_backslashes_and_controls_inside_the_string() {
        let mut s = String::new();
        push_json(&mut s, "a\"b\\c\nd\u{1}示");
        assert_eq!(s, "a\\\"b\\\\c\\nd\\u0001示");
    }
}
