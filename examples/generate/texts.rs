//! The words: per-task facts (status, percent, counts) and the Chinese texts derived from the
//! task text and those facts — spreadsheet cells, Word narratives, typical cases, problems,
//! next steps and policy requests — so every text about a task agrees with its numbers.

use super::rng::Rng;
use roundup::registry::Task;
use roundup::vocab::Status;

/// The reporting period as the texts name it.
#[derive(Debug, Clone)]
pub struct Period {
    /// `2024年第二季度`
    pub title: String,
    /// The period's months, e.g. `[4, 5, 6]`.
    pub months: Vec<u32>,
    /// `6月底`
    pub end_label: String,
}

/// What one unit did on one task this period: the numbers every text about it agrees with.
#[derive(Debug, Clone)]
pub struct Facts {
    /// Canonical status.
    pub status: Status,
    /// Percent complete, when reported.
    pub percent: Option<u32>,
    /// Projects landed (落地项目).
    pub projects: u32,
    /// Enterprises visited or served.
    pub enterprises: u32,
    /// Concrete measures in the document issued.
    pub measures: u32,
    /// Replicable experiences (可复制推广经验).
    pub experiences: u32,
    /// Investment in units of 0.1 亿元.
    pub amount_tenths: u32,
    /// The month something happened.
    pub month: String,
}

/// One unit's report on one task in canonical terms; layouts decide how it is written.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Task id.
    pub task: u32,
    /// The task text as in the registry.
    pub text: String,
    /// 牵头单位 as written in the registry.
    pub lead: String,
    /// Canonical status.
    pub status: Status,
    /// The status as written when it is not a canonical label or synonym (a planted mistake).
    pub status_text: Option<String>,
    /// Percent complete.
    pub percent: Option<f64>,
    /// 本期工作进展
    pub progress: String,
    /// 项目落地情况
    pub projects: String,
    /// 案例报送
    pub cases: String,
    /// 存在问题
    pub problems: String,
    /// 下步计划
    pub next_steps: String,
    /// 政策诉求
    pub policy: String,
    /// 备注
    pub remarks: String,
    /// Paragraphs about the task for a Word report.
    pub narrative: Vec<String>,
    /// The task's short topic (for cases and section texts).
    pub topic: String,
    /// The facts behind the texts.
    pub facts: Facts,
}

/// Draws the facts of one task for one unit.
pub fn facts(rng: &mut Rng, period: &Period) -> Facts {
    let roll = rng.range(1, 100);
    let status = match roll {
        1..=8 => Status::NotStarted,
        9..=60 => Status::InProgress,
        61..=78 => Status::Completed,
        _ => Status::Ongoing,
    };
    let percent = match status {
        Status::NotStarted => Some(0),
        Status::InProgress => Some(5 * rng.range(4, 18)),
        Status::Completed => Some(100),
        Status::Ongoing => rng.chance(0.7).then_some(100),
    };
    let started = status != Status::NotStarted;
    Facts {
        status,
        percent,
        projects: if started { rng.range(1, 9) } else { 0 },
        enterprises: rng.range(6, 120),
        measures: rng.range(5, 24),
        experiences: rng.range(1, 4),
        amount_tenths: rng.range(5, 260),
        month: month_label(rng, period),
    }
}

fn month_label(rng: &mut Rng, period: &Period) -> String {
    let month = *rng.pick(&period.months);
    let part = *rng.pick(&["", "上旬", "中旬", "下旬", "初", "底"]);
    format!("{month}月{part}")
}

/// `2.6亿元` from tenths.
fn amount(tenths: u32) -> String {
    if tenths.is_multiple_of(10) {
        format!("{}亿元", tenths / 10)
    } else {
        format!("{}.{}亿元", tenths / 10, tenths % 10)
    }
}

const LEADING_VERBS: &[&str] = &[
    "进一步",
    "积极",
    "有序",
    "稳步",
    "依法",
    "大力",
    "全面",
    "规范",
    "探索",
    "深化",
    "完善",
    "推动",
    "促进",
    "加强",
    "加快",
    "支持",
    "鼓励",
    "建立",
    "健全",
    "开展",
    "推进",
    "优化",
    "试点",
    "允许",
    "扩大",
    "提升",
    "培育",
    "发展",
    "实施",
    "落实",
    "创新",
    "构建",
    "打造",
    "设立",
    "引进",
    "放宽",
    "取消",
    "简化",
    "提高",
    "推行",
    "强化",
    "搭建",
    "建设",
    "组建",
    "研究",
    "争取",
    "推广",
    "赋予",
    "拓展",
    "坚持",
    "指导",
    "引导",
    "组织",
    "布局",
    "集中",
    "保障",
    "加大",
    "营造",
    "对标",
    "研提",
    "规范发展",
];

const ADVERBIAL_STARTS: &[&str] = &[
    "其",
    "通过",
    "依托",
    "在",
    "按",
    "围绕",
    "结合",
    "立足",
    "对",
    "当",
    "为",
    "以",
    "将",
    "向",
    "给予",
    "重点",
    "聚焦",
    "发挥",
    "符合",
    "坚持",
    "引导",
    "试点地区",
    "江苏省",
    "根据",
    "南京市结合",
    "可使用",
];

/// Removes `（…）` and `(…)` parentheticals (keeping the place name in `中国（南京）`).
fn without_parentheticals(text: &str) -> String {
    let text = text.replace("（南京）", "南京");
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The task text's clauses (split on `，。；：`), parentheticals removed.
pub fn clauses(text: &str) -> Vec<String> {
    without_parentheticals(text)
        .split(['，', '。', '；', '：', ';'])
        .map(str::trim)
        .filter(|c| c.chars().count() >= 5)
        .map(str::to_owned)
        .collect()
}

/// The first clause that does not open with an adverbial (`通过…`, `依托…`), for a heading.
pub fn heading_clause(text: &str) -> String {
    let all = clauses(text);
    all.iter()
        .find(|c| !ADVERBIAL_STARTS.iter().any(|a| c.starts_with(a)))
        .or(all.first())
        .cloned()
        .unwrap_or_default()
}

/// A clause without its leading verbs and place (`加快培育开源社区` → `开源社区`).
fn strip_verbs(clause: &str) -> &str {
    const PLACES: &[&str] = &["在南京市", "在试点地区", "在南京"];
    let mut rest = clause;
    loop {
        let next = PLACES
            .iter()
            .chain(LEADING_VERBS)
            .filter_map(|v| rest.strip_prefix(v))
            .find(|r| r.chars().count() >= 4);
        match next {
            Some(r) => rest = r,
            None => return rest,
        }
    }
}

/// Verbs inside a long phrase after which the rest is the object (`…探索建立多方参与的风险共担
/// 模式` → `多方参与的风险共担模式`).
const INNER_VERBS: &[&str] = &[
    "建立", "开展", "推动", "建设", "设立", "打造", "实施", "引进", "提供",
];

/// Cuts a long phrase to the object of its last inner verb, when that leaves enough.
fn object_of(phrase: &str) -> &str {
    if phrase.chars().count() <= 12 {
        return phrase;
    }
    INNER_VERBS
        .iter()
        .filter_map(|v| phrase.rfind(v).map(|at| &phrase[at + v.len()..]))
        .filter(|tail| tail.chars().count() >= 4)
        .min_by_key(|tail| tail.len())
        .unwrap_or(phrase)
}

/// The task's topic: a noun phrase for `《南京市…实施细则》` and `…工作`.
pub fn topic(task_text: &str, fallback: &str) -> String {
    let all = clauses(task_text);
    let candidates: Vec<String> = all
        .iter()
        .filter(|c| !ADVERBIAL_STARTS.iter().any(|a| c.starts_with(a)))
        .map(|c| object_of(strip_verbs(c)))
        .filter(|t| !ADVERBIAL_STARTS.iter().any(|a| t.starts_with(a)))
        .map(|t| t.trim_end_matches(['。', '，']))
        .filter(|t| t.chars().count() >= 4)
        .map(str::to_owned)
        .collect();
    let short = candidates.iter().find(|t| t.chars().count() <= 20);
    short
        .or_else(|| candidates.iter().min_by_key(|t| t.chars().count()))
        .filter(|t| t.chars().count() <= 30)
        .cloned()
        .unwrap_or_else(|| strip_verbs(fallback).to_owned())
}

/// How a unit refers to itself in its own report (`我局`, `我委`, `我区`…).
pub fn self_name(unit: &str) -> String {
    let base = without_parentheticals(unit);
    let suffixes = [
        ("海关", "我关"),
        ("管委会", "我委"),
        ("局", "我局"),
        ("委", "我委"),
        ("办", "我办"),
        ("区", "我区"),
        ("部", "我部"),
        ("站", "我站"),
        ("集团", "我集团"),
    ];
    suffixes
        .iter()
        .find(|(s, _)| base.ends_with(s))
        .map(|(_, n)| (*n).to_owned())
        .unwrap_or(base)
}

/// Up to three units joined with `、`, or a generic phrase.
fn units_phrase(units: &[String], fallback: &str) -> String {
    if units.is_empty() {
        return fallback.to_owned();
    }
    let shown: Vec<&str> = units.iter().take(3).map(String::as_str).collect();
    let more = if units.len() > 3 { "等单位" } else { "" };
    format!("{}{more}", shown.join("、"))
}

/// A document title about the topic.
fn document_title(rng: &mut Rng, topic: &str) -> String {
    match rng.range(0, 3) {
        0 => format!("《南京市{topic}实施细则》"),
        1 => format!("《关于推进{topic}的工作方案》"),
        2 => format!("《{topic}工作指引（试行）》"),
        _ => format!("《关于加快{topic}的若干措施》"),
    }
}

/// The short result clause of a spreadsheet cell.
fn result_short(rng: &mut Rng, f: &Facts) -> String {
    match f.status {
        Status::Completed => format!("任务已全面完成，形成可复制推广经验{}条", f.experiences),
        Status::Ongoing => format!("已纳入常态化推进，本季度服务企业{}家", f.enterprises),
        Status::InProgress if rng.chance(0.5) => {
            format!("已落地项目{}个，各项工作正按计划推进", f.projects)
        }
        Status::InProgress => "相关配套政策正在加紧制定，整体进展符合预期".to_owned(),
        Status::NotStarted => "目前正在开展前期调研论证，尚未正式启动".to_owned(),
    }
}

/// What a unit is about to do on a task, for the writers.
pub struct TaskWriter<'a> {
    /// The task.
    pub task: &'a Task,
    /// The reporting unit (registry name).
    pub unit: &'a str,
    /// The reporting period.
    pub period: &'a Period,
    /// A fallback topic (the group title).
    pub group_title: &'a str,
}

impl TaskWriter<'_> {
    /// The facts and all texts of this unit's report on the task.
    pub fn entry(&self, rng: &mut Rng) -> Entry {
        let facts = facts(rng, self.period);
        self.entry_with(rng, facts)
    }

    /// Texts for given facts.
    pub fn entry_with(&self, rng: &mut Rng, facts: Facts) -> Entry {
        let topic = topic(&self.task.text, self.group_title);
        let progress = self.progress_cell(rng, &facts, &topic);
        let narrative = self.narrative(rng, &facts, &topic);
        Entry {
            task: self.task.id,
            text: self.task.text.clone(),
            lead: self.task.lead.join("、"),
            status: facts.status,
            status_text: None,
            percent: facts.percent.map(f64::from),
            progress,
            projects: projects_cell(&facts),
            cases: cases_cell(rng, &facts, &topic),
            problems: problem_sentence(rng, &topic, &self.task.guidance),
            next_steps: next_step_sentence(rng, &topic, &self.task.guidance, &self.task.cooperating),
            policy: if rng.chance(0.35) {
                policy_sentence(rng, &topic, &self.task.guidance)
            } else {
                String::new()
            },
            remarks: String::new(),
            narrative,
            topic,
            facts,
        }
    }

    fn coops(&self) -> String {
        units_phrase(&self.task.cooperating, "相关部门")
    }

    fn guidance(&self) -> String {
        units_phrase(&self.task.guidance, "上级主管部门")
    }

    /// 本期工作进展 for a spreadsheet cell (third person, two clauses).
    fn progress_cell(&self, rng: &mut Rng, f: &Facts, topic: &str) -> String {
        let result = result_short(rng, f);
        let clause = self.pick_clause(rng);
        let opening = match rng.range(0, 3) {
            0 => format!("{}召开专题推进会，会同{}研究细化工作举措", f.month, self.coops()),
            1 => format!("印发{}，明确{}项具体举措", document_title(rng, topic), f.measures),
            2 => format!(
                "围绕{clause}，走访重点企业{}家，收集问题诉求{}条并逐一推动解决",
                f.enterprises, f.measures
            ),
            _ => format!("主动对接{}，建立“周调度、月通报”工作机制", self.guidance()),
        };
        if f.status == Status::NotStarted {
            return format!("已与{}沟通对接，{result}。", self.guidance());
        }
        format!("{opening}；{result}。")
    }

    fn pick_clause(&self, rng: &mut Rng) -> String {
        let all = clauses(&self.task.text);
        let usable: Vec<&String> = all
            .iter()
            .filter(|c| c.chars().count() <= 32 && !c.starts_with("通过"))
            .collect();
        match usable.is_empty() {
            true => format!("{}相关工作", topic(&self.task.text, self.group_title)),
            false => (*rng.pick(&usable)).clone(),
        }
    }

    /// First-person paragraphs for a Word report.
    fn narrative(&self, rng: &mut Rng, f: &Facts, topic: &str) -> Vec<String> {
        let me = self_name(self.unit);
        if f.status == Status::NotStarted {
            let text = match rng.range(0, 1) {
                0 => format!(
                    "该项任务涉及国家事权，{me}已多次与{}沟通对接，{}召开专题会议研究推进路径，目前正在开展前期调研论证，待上级明确实施口径后启动实施。",
                    self.guidance(),
                    f.month
                ),
                _ => format!(
                    "{me}已梳理{topic}相关政策依据，{}赴先进地区学习考察，正在会同{}研究制定工作方案，尚未正式启动。",
                    f.month,
                    self.coops()
                ),
            };
            return vec![text];
        }
        let first = self.mechanism_sentence(rng, f, topic, &me);
        let second = self.action_sentence(rng, f, &first);
        let third = self.result_sentence(rng, f);
        if rng.chance(0.4) {
            vec![format!("{first}{second}"), third]
        } else {
            vec![format!("{first}{second}{third}")]
        }
    }

    fn mechanism_sentence(&self, rng: &mut Rng, f: &Facts, topic: &str, me: &str) -> String {
        match rng.range(0, 3) {
            0 => format!(
                "{me}高度重视{topic}工作，{}召开专题推进会，会同{}研究细化工作举措，明确责任分工和时间节点。",
                f.month,
                self.coops()
            ),
            1 => format!(
                "对照任务要求，{me}于{}印发{}，明确{}项具体举措，逐项建立工作台账。",
                f.month,
                document_title(rng, topic),
                f.measures
            ),
            2 => format!(
                "成立由主要负责同志牵头的工作专班，围绕{}，建立“周调度、月通报”工作机制，定期研究解决推进中的困难问题。",
                self.pick_clause(rng)
            ),
            _ => format!(
                "{me}主动对接{}，争取政策和业务指导，结合南京实际制定{topic}推进计划。",
                self.guidance()
            ),
        }
    }

    fn action_sentence(&self, rng: &mut Rng, f: &Facts, used: &str) -> String {
        let mut clause = self.pick_clause(rng);
        for _ in 0..3 {
            if !used.contains(&clause) {
                break;
            }
            clause = self.pick_clause(rng);
        }
        match rng.range(0, 3) {
            0 => format!(
                "结合{clause}要求，深入{}家重点企业开展走访调研，收集问题诉求{}条，已推动解决大部分问题。",
                f.enterprises, f.measures
            ),
            1 => format!(
                "会同{}组织召开政策宣讲会{}场，覆盖企业{}家，进一步扩大试点政策知晓度。",
                self.coops(),
                rng.range(2, 8),
                f.enterprises
            ),
            2 => format!("针对{clause}，梳理形成重点项目清单，实行“一项目一专班”跟踪服务。"),
            _ => format!(
                "聚焦{clause}，加强与{}的业务协同，推动相关事项并联办理、限时办结。",
                self.coops()
            ),
        }
    }

    fn result_sentence(&self, rng: &mut Rng, f: &Facts) -> String {
        let end = &self.period.end_label;
        match f.status {
            Status::Completed => format!(
                "截至{end}，该项任务已全面完成，累计落地项目{}个、带动投资约{}，形成可复制推广经验{}条。",
                f.projects,
                amount(f.amount_tenths),
                f.experiences
            ),
            Status::Ongoing => format!(
                "目前相关工作已纳入常态化推进，本季度累计服务企业{}家、落地项目{}个，形成可复制推广经验{}条。",
                f.enterprises, f.projects, f.experiences
            ),
            _ => {
                let percent = f.percent.unwrap_or(50);
                let rest = *rng.pick(&[
                    "后续配套政策正在加紧制定",
                    "剩余工作正按计划有序推进",
                    "部分事项仍在与上级部门沟通",
                    "重点项目正在加快推进",
                ]);
                format!(
                    "截至{end}，已落地项目{}个，任务完成进度约{percent}%，{rest}。",
                    f.projects
                )
            }
        }
    }
}

/// 项目落地情况: starts with a count.
fn projects_cell(f: &Facts) -> String {
    match f.projects {
        0 => "暂无".to_owned(),
        n => format!("落地项目{n}个，总投资约{}", amount(f.amount_tenths)),
    }
}

/// 案例报送: sometimes a case title.
fn cases_cell(rng: &mut Rng, f: &Facts, topic: &str) -> String {
    if f.status == Status::NotStarted || !rng.chance(0.3) {
        return String::new();
    }
    format!("报送《{}》案例1篇", case_title_plain(topic))
}

fn case_title_plain(topic: &str) -> String {
    format!("{topic}的南京实践")
}

const PROBLEMS: &[&str] = &[
    "部分试点事项涉及国家事权，需争取国家部委授权，地方层面推进空间有限",
    "相关企业对试点政策知晓度不高，参与积极性有待进一步调动",
    "跨部门数据共享和业务协同机制尚不健全，信息互通仍存在壁垒",
    "专业人才储备不足，政策落地所需配套细则仍需完善",
    "受外部环境影响，部分外资项目落地进度慢于预期",
    "试点政策与现行法律法规的衔接仍需进一步研究",
    "项目前期手续较多，审批周期偏长",
];

/// How many distinct problems [`problem_at`] knows.
pub const PROBLEM_COUNT: usize = PROBLEMS.len();

/// One problem, tied to the topic.
pub fn problem_sentence(rng: &mut Rng, topic: &str, guidance: &[String]) -> String {
    let i = rng.range(0, PROBLEMS.len() as u32 - 1) as usize;
    problem_at(i, rng, topic, guidance)
}

/// Problem `i` (mod the table), phrased with the topic or the guiding unit.
pub fn problem_at(i: usize, rng: &mut Rng, topic: &str, guidance: &[String]) -> String {
    let problem = PROBLEMS[i % PROBLEMS.len()];
    match rng.range(0, 2) {
        0 => format!("{topic}方面，{problem}。"),
        1 if !guidance.is_empty() => format!("{problem}，需{}进一步指导支持。", guidance[0]),
        _ => format!("{problem}。"),
    }
}

/// How many distinct next steps [`next_step_at`] knows.
pub const NEXT_STEP_COUNT: usize = 4;

/// One next step, tied to the topic.
pub fn next_step_sentence(rng: &mut Rng, topic: &str, guidance: &[String], cooperating: &[String]) -> String {
    let i = rng.range(0, NEXT_STEP_COUNT as u32 - 1) as usize;
    next_step_at(i, topic, guidance, cooperating)
}

/// Next step `i` (mod [`NEXT_STEP_COUNT`]).
pub fn next_step_at(i: usize, topic: &str, guidance: &[String], cooperating: &[String]) -> String {
    match i % NEXT_STEP_COUNT {
        0 => format!(
            "加强与{}沟通对接，力争{topic}年内取得实质性突破。",
            units_phrase(guidance, "上级主管部门")
        ),
        1 => "持续跟踪重点项目落地情况，及时总结提炼可复制推广的经验做法。".to_owned(),
        2 => format!("加大{topic}政策宣传解读力度，扩大试点政策覆盖面和企业获得感。"),
        _ => format!(
            "会同{}完善配套制度，推动形成长效工作机制。",
            units_phrase(cooperating, "相关部门")
        ),
    }
}

/// One policy request, tied to the topic.
pub fn policy_sentence(rng: &mut Rng, topic: &str, guidance: &[String]) -> String {
    match rng.range(0, 2) {
        0 => format!("建议争取国家层面在{topic}方面给予先行先试授权。"),
        1 if !guidance.is_empty() => {
            format!("恳请{}加大对{topic}的政策和资金支持。", guidance[0])
        }
        _ => "建议省级层面统筹建立跨部门协调机制，协调解决试点推进中的共性问题。".to_owned(),
    }
}

/// A typical case (title, body paragraphs) drawn from a task entry.
pub fn typical_case(
    rng: &mut Rng,
    entry: &Entry,
    unit: &str,
    number: usize,
    style: u32,
) -> (String, Vec<String>) {
    let f = &entry.facts;
    let topic = &entry.topic;
    let cn = ["一", "二", "三", "四"][number.min(3)];
    let title = match style % 3 {
        0 => format!("案例{cn}：{}推动{topic}落地见效", short_unit(unit)),
        1 => format!("（{cn}）{topic}取得新突破"),
        _ => format!("案例{cn}：探索{topic}的“南京路径”"),
    };
    let first = format!(
        "{}，{}聚焦{topic}，建立“一企一策”服务机制，推动{}个重点项目签约落地，其中{}个项目为全市首例。",
        f.month,
        self_name(unit),
        f.projects.max(1),
        rng.range(1, (f.projects / 3).max(1))
    );
    let second = format!(
        "该做法有效降低了企业制度性交易成本，惠及企业{}家，预计带动新增投资约{}，已形成可复制推广经验{}条，拟向省级层面报送推广。",
        f.enterprises,
        amount(f.amount_tenths),
        f.experiences
    );
    (title, vec![first, second])
}

/// The unit's name without a parenthetical, for titles.
pub fn short_unit(unit: &str) -> String {
    without_parentheticals(unit)
}

/// A made-up contact person: surname + given name.
pub fn person(rng: &mut Rng) -> String {
    const SURNAMES: &[&str] = &[
        "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "朱", "马", "胡", "郭", "林",
        "何", "高", "罗",
    ];
    const GIVEN: &[&str] = &[
        "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
        "秀英", "晓东", "海燕", "志强", "文博", "雨婷", "建国", "思远",
    ];
    format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN))
}

/// A made-up office telephone number.
pub fn phone(rng: &mut Rng) -> String {
    format!(
        "025-{}{:03}{:04}",
        rng.range(5, 8),
        rng.range(0, 999),
        rng.range(0, 9999)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_read_as_noun_phrases() {
        assert_eq!(
            topic(
                "规范探索知识产权证券化，探索完善质押融资等知识产权融资机制。",
                "x"
            ),
            "知识产权证券化"
        );
        assert_eq!(topic("探索行业综合许可制度。", "x"), "行业综合许可制度");
        assert_eq!(
            topic(
                "探索在南京市建立职业资格单向认可清单（不含注册会计师、资产评估师）。",
                "x"
            ),
            "职业资格单向认可清单"
        );
    }

    #[test]
    fn self_names() {
        assert_eq!(self_name("市工信局"), "我局");
        assert_eq!(self_name("南京通管办（联系省通管局）"), "我办");
        assert_eq!(self_name("金陵海关"), "我关");
        assert_eq!(self_name("软件谷"), "软件谷");
    }
}
