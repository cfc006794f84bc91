//! Synthetic registries for the benchmark workloads: real-looking unit names (市X局, X区,
//! X区Y局, X管委会… made unique) and task texts composed from phrase tables, written as a
//! `tasks.toml` through the crate's own `RegistryFile`, so the registry stays the one source.

use super::rng::Rng;
use roundup::registry::import::{GroupEntry, PartEntry, RegistryFile, TaskEntry};
use std::collections::BTreeSet;

const CITY_BUREAUS: &[&str] = &[
    "市发改委",
    "市工信局",
    "市商务局",
    "市科技局",
    "市财政局",
    "市金融局",
    "市人社局",
    "市教育局",
    "市卫健委",
    "市医保局",
    "市文旅局",
    "市交通运输局",
    "市住建局",
    "市城管局",
    "市农业农村局",
    "市水务局",
    "市应急管理局",
    "市市场监管局",
    "市统计局",
    "市审计局",
    "市司法局",
    "市公安局",
    "市民政局",
    "市生态环境局",
    "市规划和自然资源局",
    "市政务办",
    "市大数据局",
    "市外办",
    "市国资委",
    "市体育局",
    "市退役军人局",
    "市信访局",
    "市侨办",
    "市贸促会",
    "市档案局",
    "市机关事务管理局",
    "市粮食和物资储备局",
    "市地方志办",
    "市委宣传部",
    "市委网信办",
    "市委编办",
    "市委人才办",
    "市台办",
    "市人防办",
];

const REAL_PLACES: &[&str] = &[
    "玄武",
    "秦淮",
    "建邺",
    "鼓楼",
    "浦口",
    "栖霞",
    "雨花台",
    "江宁",
    "六合",
    "溧水",
    "高淳",
];

const PLACE_FIRST: &[&str] = &[
    "东", "西", "南", "北", "清", "青", "金", "银", "云", "龙", "凤", "桃", "梅", "松", "石", "泉", "湖",
    "山", "临", "长", "宁", "安", "平", "和", "华", "新", "丰", "阳", "明", "嘉",
];

const PLACE_SECOND: &[&str] = &[
    "湖", "山", "江", "川", "原", "阳", "平", "林", "桥", "港", "塘", "溪", "城", "州", "陵", "泽", "峰",
    "岭", "浦", "湾", "宁", "安", "水", "台", "口", "亭", "海", "丘", "河", "洲",
];

const DISTRICT_BUREAUS: &[&str] = &[
    "发改局",
    "商务局",
    "工信局",
    "科技局",
    "财政局",
    "金融监管局",
    "人社局",
    "教育局",
    "卫健委",
    "文旅局",
    "市场监管局",
    "行政审批局",
    "数据局",
    "司法局",
];

const ZONES: &[&str] = &["经济技术开发区管委会", "高新区管委会", "综合保税区管委会"];

/// `n` unique unit names: city bureaus first, then districts with their bureaus and zones.
pub fn unit_names(n: usize, rng: &mut Rng) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let mut push = |name: String, out: &mut Vec<String>| {
        if out.len() < n && seen.insert(name.clone()) {
            out.push(name);
        }
    };
    for b in CITY_BUREAUS {
        push((*b).to_owned(), &mut out);
    }
    for place in places(rng) {
        if out.len() >= n {
            break;
        }
        push(format!("{place}区"), &mut out);
        for b in DISTRICT_BUREAUS {
            push(format!("{place}区{b}"), &mut out);
        }
        for z in ZONES {
            push(format!("{place}{z}"), &mut out);
        }
    }
    out
}

/// Real district names, then made-up two-character ones in a seeded order.
fn places(rng: &mut Rng) -> Vec<String> {
    let mut made: Vec<String> = PLACE_FIRST
        .iter()
        .flat_map(|a| PLACE_SECOND.iter().map(move |b| (a, b)))
        .filter(|(a, b)| a != b)
        .map(|(a, b)| format!("{a}{b}"))
        .filter(|p| !REAL_PLACES.contains(&p.as_str()))
        .collect();
    rng.shuffle(&mut made);
    REAL_PLACES.iter().map(|p| (*p).to_owned()).chain(made).collect()
}

const PART_TITLES: &[&str] = &[
    "推动服务业重点行业领域深化改革扩大开放",
    "推动服务业与制造业融合发展",
    "营造国际一流营商环境",
    "强化人才、数据等要素支撑",
    "健全开放型经济风险防控体系",
];

const DOMAINS: &[&str] = &[
    "科技服务",
    "数字贸易",
    "跨境金融",
    "知识产权",
    "医疗健康",
    "教育培训",
    "文化旅游",
    "商贸物流",
    "专业服务",
    "软件信息",
    "航运物流",
    "绿色金融",
    "会展服务",
    "人力资源服务",
    "检验检测",
    "法律服务",
    "养老托育",
    "数据要素",
    "电子商务",
    "供应链管理",
];

const VERBS: &[&str] = &[
    "深化", "探索", "推动", "支持", "鼓励", "完善", "加快", "优化", "创新", "规范",
];

const OBJECTS: &[&str] = &[
    "领域市场准入",
    "领域对外开放",
    "企业跨境业务",
    "领域监管模式",
    "领域标准体系",
    "领域公共服务平台",
    "领域重大项目",
    "领域人才引进",
    "领域数据流动",
    "领域信用体系",
];

const MECHANISMS: &[&str] = &[
    "建立跨部门协同推进机制",
    "完善事中事后监管制度",
    "开展先行先试改革试点",
    "搭建政企对接服务平台",
    "建立重点企业服务清单",
    "优化审批流程和服务方式",
    "探索包容审慎监管方式",
    "健全政策评估和动态调整机制",
    "加强与长三角地区协同联动",
    "完善统计监测和评价体系",
];

const GOALS: &[&str] = &[
    "形成一批可复制推广的制度创新成果",
    "提升企业获得感和满意度",
    "打造具有国际竞争力的服务业集聚区",
    "推动产业链供应链高质量发展",
    "更好服务构建新发展格局",
    "持续优化市场化法治化国际化营商环境",
];

const PROVINCIAL: &[&str] = &[
    "省发改委",
    "省商务厅",
    "省工信厅",
    "省科技厅",
    "省财政厅",
    "省金融局",
    "省人社厅",
    "省市场监管局",
    "省卫健委",
    "省文旅厅",
    "省教育厅",
    "省司法厅",
    "省数据局",
];

/// Chinese numerals for 1…9999 (`一`, `十二`, `二十`, `一百零五`).
pub fn cn_number(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n < 10 {
        return DIGITS[n as usize].to_owned();
    }
    if n < 20 {
        return format!(
            "十{}",
            if n.is_multiple_of(10) {
                ""
            } else {
                DIGITS[(n % 10) as usize]
            }
        );
    }
    let units = [(1000, "千"), (100, "百"), (10, "十")];
    let mut out = String::new();
    let mut rest = n;
    let mut zero = false;
    for (value, name) in units {
        let d = rest / value;
        rest %= value;
        if d > 0 {
            if zero {
                out.push('零');
                zero = false;
            }
            out.push_str(DIGITS[d as usize]);
            out.push_str(name);
        } else if !out.is_empty() {
            zero = true;
        }
    }
    if rest > 0 {
        if zero {
            out.push('零');
        }
        out.push_str(DIGITS[rest as usize]);
    }
    out
}

fn task_text(rng: &mut Rng, domain: &str) -> String {
    format!(
        "{}{}{}，{}，{}。",
        rng.pick(VERBS),
        domain,
        rng.pick(OBJECTS),
        rng.pick(MECHANISMS),
        rng.pick(GOALS)
    )
}

fn pick_units(rng: &mut Rng, from: &[String], n: usize, not: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for _ in 0..n * 3 {
        if out.len() >= n {
            break;
        }
        let u = rng.pick(from);
        if !not.contains(u) && !out.contains(u) {
            out.push(u.clone());
        }
    }
    out
}

/// A registry of `tasks` tasks over `units` lead units: 5 parts, groups of about 60 tasks,
/// every unit leading some tasks, about one task in eight jointly led.
pub fn synthetic(tasks: usize, units: usize, seed: u64) -> RegistryFile {
    let mut rng = Rng::new(seed);
    let names = unit_names(units, &mut rng);
    let groups_total = (tasks / 60).max(PART_TITLES.len());
    let mut parts: Vec<PartEntry> = PART_TITLES
        .iter()
        .enumerate()
        .map(|(i, t)| PartEntry {
            number: cn_number(i as u32 + 1),
            title: (*t).to_owned(),
            groups: Vec::new(),
        })
        .collect();
    let mut leads: Vec<usize> = (0..tasks).map(|i| i % names.len().max(1)).collect();
    rng.shuffle(&mut leads);
    let mut id = 0u32;
    for g in 0..groups_total {
        let domain = DOMAINS[g % DOMAINS.len()];
        let size = tasks / groups_total + usize::from(g < tasks % groups_total);
        let mut group = GroupEntry {
            number: format!("（{}）", cn_number(g as u32 + 1)),
            title: format!(
                "{domain}{}",
                ["开放", "创新", "改革", "提升"][g / DOMAINS.len() % 4]
            ),
            tasks: Vec::new(),
        };
        for _ in 0..size {
            let primary = names[leads[id as usize]].clone();
            id += 1;
            let mut lead = vec![primary];
            if rng.chance(0.12) {
                lead.extend(pick_units(&mut rng, &names, 1, &lead));
            }
            let guidance_n = rng.range(0, 3) as usize;
            let coop_n = rng.range(0, 3) as usize;
            group.tasks.push(TaskEntry {
                id,
                text: task_text(&mut rng, domain),
                guidance: pick_units(
                    &mut rng,
                    &PROVINCIAL.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(),
                    guidance_n,
                    &[],
                ),
                cooperating: pick_units(&mut rng, &names, coop_n, &lead),
                lead,
            });
        }
        let part = g * PART_TITLES.len() / groups_total;
        parts[part].groups.push(group);
    }
    RegistryFile { parts }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn numerals() {
        assert_eq!(cn_number(1), "一");
        assert_eq!(cn_number(12), "十二");
        assert_eq!(cn_number(20), "二十");
        assert_eq!(cn_number(105), "一百零五");
        assert_eq!(cn_number(333), "三百三十三");
    }

    #[test]
    fn synthetic_registry_has_every_unit_leading() {
        let file = synthetic(600, 60, 1);
        let registry = file.into_registry(&BTreeMap::new()).unwrap();
        assert_eq!(registry.tasks.len(), 600);
        assert_eq!(registry.lead_units().len(), 60);
    }

    #[test]
    fn two_thousand_unique_units() {
        let names = unit_names(2000, &mut Rng::new(3));
        assert_eq!(names.len(), 2000);
        assert_eq!(names.iter().collect::<BTreeSet<_>>().len(), 2000);
    }
}
