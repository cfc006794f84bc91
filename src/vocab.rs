//! The core vocabulary every stage shares: a task's [`Status`] and the [`Field`]s a progress
//! report carries. Words an office may change (synonyms, headers) are configuration; these
//! canonical values are the contract (§2) and live here, below everything that uses them.

use serde::{Deserialize, Serialize};

/// The four canonical statuses of a task (contract §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Status {
    /// 未启动
    #[serde(rename = "未启动")]
    NotStarted,
    /// 推进中
    #[serde(rename = "推进中")]
    InProgress,
    /// 已完成
    #[serde(rename = "已完成")]
    Completed,
    /// 常态化推进
    #[serde(rename = "常态化推进")]
    Ongoing,
}

impl Status {
    /// All statuses in display order.
    pub const ALL: [Status; 4] = [
        Status::NotStarted,
        Status::InProgress,
        Status::Completed,
        Status::Ongoing,
    ];

    /// The canonical Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Status::NotStarted => "未启动",
            Status::InProgress => "推进中",
            Status::Completed => "已完成",
            Status::Ongoing => "常态化推进",
        }
    }

    /// Parses an exact canonical label.
    pub fn from_label(label: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.label() == label)
    }

    /// `可选值：未启动、推进中、已完成、常态化推进`
    pub fn allowed_values_hint() -> String {
        let labels: Vec<&str> = Status::ALL.iter().map(|s| s.label()).collect();
        format!("可选值：{}", labels.join("、"))
    }
}

/// The columns of a progress spreadsheet that roundup understands (contract §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// 序号
    Id,
    /// 试点任务
    Text,
    /// 牵头单位
    Lead,
    /// 完成状态
    Status,
    /// 完成进度（%）
    Percent,
    /// 本期工作进展
    Progress,
    /// 项目落地情况
    Projects,
    /// 案例报送
    Cases,
    /// 存在问题
    Problems,
    /// 下步计划
    NextSteps,
    /// 政策诉求
    Policy,
    /// 备注
    Remarks,
}

impl Field {
    /// Every field in the canonical column order of the form.
    pub const ALL: [Field; 12] = [
        Field::Id,
        Field::Text,
        Field::Lead,
        Field::Status,
        Field::Percent,
        Field::Progress,
        Field::Projects,
        Field::Cases,
        Field::Problems,
        Field::NextSteps,
        Field::Policy,
        Field::Remarks,
    ];

    /// The canonical header text written by the form template.
    pub fn header(self) -> &'static str {
        match self {
            Field::Id => "序号",
            Field::Text => "试点任务",
            Field::Lead => "牵头单位",
            Field::Status => "完成状态",
            Field::Percent => "完成进度（%）",
            Field::Progress => "本期工作进展",
            Field::Projects => "项目落地情况",
            Field::Cases => "案例报送",
            Field::Problems => "存在问题",
            Field::NextSteps => "下步计划",
            Field::Policy => "政策诉求",
            Field::Remarks => "备注",
        }
    }
}
