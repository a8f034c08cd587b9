//! The one string catalog: every text the app shows, in Chinese (the default) and English. Fixed
//! strings are [`T`] keys; strings with numbers or names are functions below the catalog.

use serde::{Deserialize, Serialize};
use zicha_core::checklist::{Level, Target};
use zicha_core::ledger::{Category, Status, SupervisionLevel};
use zicha_core::org::PartyRole;
use zicha_core::score::{Grade, Judgement};

/// The UI language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    /// 简体中文.
    #[default]
    #[serde(rename = "zh")]
    Zh,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// The BCP 47 tag for the `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

// The strings after `@extra` are those of the screens in the extra UI module (keys, sign & export,
// verify, settings): compiled into that module only, so the app shell does not carry them.
macro_rules! catalog {
    ($($key:ident => $zh:literal, $en:literal;)* @extra $($xkey:ident => $xzh:literal, $xen:literal;)*) => {
        /// A fixed string of the catalog.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[allow(missing_docs)]
        pub enum T {
            $($key,)*
            $(#[cfg(feature = "extra")] $xkey,)*
        }

        impl T {
            /// The text in `lang`.
            pub fn get(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((T::$key, Lang::Zh) => $zh, (T::$key, Lang::En) => $en,)*
                    $(
                        #[cfg(feature = "extra")]
                        (T::$xkey, Lang::Zh) => $xzh,
                        #[cfg(feature = "extra")]
                        (T::$xkey, Lang::En) => $xen,
                    )*
                }
            }
        }
    };
}

catalog! {
    AppName => "自查", "Zicha";
    AppTagline => "安全生产隐患自查", "Workplace safety self-inspection";
    Loading => "正在打开本机数据…", "Opening the data on this device…";
    ExtraFailed => "此页面未能加载：", "This screen could not be loaded:";
    SkipToContent => "跳到正文", "Skip to content";
    NavHome => "首页", "Home";
    NavLedger => "隐患台账", "Hazard ledger";
    NavSettings => "设置", "Settings";
    MainNav => "主导航", "Main navigation";
    Saved => "已保存", "Saved";
    Saving => "正在保存…", "Saving…";
    SaveFailed => "保存失败", "Not saved";
    Dismiss => "关闭", "Dismiss";
    Cancel => "取消", "Cancel";
    Save => "保存", "Save";
    Edit => "修改", "Edit";
    Delete => "删除", "Delete";
    Back => "返回", "Back";
    Optional => "选填", "optional";
    // Home: profile.
    ProfileTitle => "企业信息", "Enterprise profile";
    ProfileIntro => "只需填写一次，用于每份检查报告。", "Set once; used on every report.";
    OrgName => "企业名称", "Enterprise name";
    CreditCode => "统一社会信用代码", "Unified social credit code";
    CreditCodeHint => "18位，含校验码", "18 characters including the check character";
    CreditCodeOk => "校验通过", "Check character correct";
    Address => "地址", "Address";
    LegalRep => "法定代表人", "Legal representative";
    SafetyLead => "安全生产负责人", "Safety lead";
    // The same words as the splash in index.html (painted before the wasm arrives), so that the
    // page the app draws over it does not change what the user reads.
    Intro => "自查是离线使用的安全生产隐患自查工具：按行业检查表逐项检查，隐患登记入台账并跟踪整改，生成由企业签名的检查报告交监管部门核验。数据只保存在本机，不上传、不需要账号，现场没有网络也能用。", "Zicha is an offline workplace-safety self-inspection kit: check a sector's checklist item by item, keep every hazard in a ledger until it is fixed, and hand the regulator a report signed by the enterprise. Your data stays on this device: no upload, no account, and no network needed on site.";
    FirstRunTitle => "开始使用：企业信息 → 项目 → 检查", "Getting started: profile → project → inspection";
    ProfileMissing => "请先填写企业信息（名称和统一社会信用代码）。", "Fill in the enterprise profile first (name and credit code).";
    NameRequired => "请填写企业名称", "Enter the enterprise name";
    // Home: projects.
    ProjectsTitle => "项目", "Projects";
    NoProjects => "还没有项目。建筑施工检查需要一个在建工程项目。", "No projects yet. Construction inspections need a project.";
    AddProject => "新增项目", "Add project";
    ProjectName => "项目名称", "Project name";
    ProjectLocation => "项目地点", "Location";
    FloorArea => "建筑面积（m²）", "Floor area (m²)";
    StructureType => "结构类型", "Structure type";
    ProjectManager => "项目经理", "Project manager";
    Parties => "参建单位", "Parties";
    // Home: a project's register of 重大危险源 / 危大工程 (five 100% target 5).
    MajorSources => "重大危险源 / 危大工程台账", "Register of major hazard sources";
    NoMajorSources => "台账为空：目标五按检查项计算。", "The register is empty: target 5 is counted on the checklist's items.";
    AddMajorSource => "新增危险源", "Add source";
    RemoveMajorSource => "删除", "Remove";
    SourceName => "名称", "Name";
    SourceType => "类型（深基坑、高支模、起重机械、脚手架等）", "Type (deep excavation, high formwork, cranes, scaffolding …)";
    SourcePlan => "专项方案", "Special construction plan";
    SourceMonitoring => "监控措施", "Monitoring";
    SourceResponsible => "责任人", "Responsible person";
    AssessmentDate => "评估日期", "Assessment date";
    RecordAssessment => "记录风险评估", "Record risk assessment";
    NotAssessed => "尚未评估", "Not assessed yet";
    UnassessedThisMonth => "按台账，本月未评估：", "On the register, not assessed this month: ";
    AllAssessedThisMonth => "按台账，本月均已评估", "On the register, every source was assessed this month";
    UnitName => "单位名称", "Unit name";
    ProjectNameRequired => "请填写项目名称", "Enter the project name";
    // Home: inspections.
    InspectionsTitle => "检查", "Inspections";
    NoInspections => "还没有检查。选择行业检查表开始第一次检查。", "No inspections yet. Pick a sector checklist to start.";
    NewInspection => "新建检查", "New inspection";
    Checklist => "检查表", "Checklist";
    Project => "项目", "Project";
    NoProject => "（不关联项目）", "(no project)";
    InspectionDate => "检查日期", "Date";
    Inspectors => "检查人", "Inspectors";
    InspectorsHint => "多人用逗号分隔", "Separate several names with commas";
    Start => "开始检查", "Start";
    Open => "打开", "Open";
    StatusDone => "已完成", "Complete";
    StatusOngoing => "进行中", "In progress";
    StatusNew => "未开始", "Not started";
    DeleteInspectionConfirm => "删除这次检查及其隐患？此操作不能撤销。", "Delete this inspection and its hazards? This cannot be undone.";
    InspectorRequired => "请填写检查人", "Enter at least one inspector";
    ProjectRequired => "建筑施工检查请选择项目", "Choose a project for a construction inspection";
    // Inspection.
    NotFound => "找不到这次检查。", "This inspection does not exist.";
    Section => "分项", "Section";
    PrevSection => "上一分项", "Previous section";
    NextSection => "下一分项", "Next section";
    Clause => "依据", "Clause";
    Guidance => "检查方法", "How to check";
    Conform => "符合", "Conform";
    NonConform => "不符合", "Non-conform";
    NotApplicable => "不适用", "N/A";
    Deduct => "扣分", "Deduct";
    Clear => "清除", "Clear";
    Points => "分", "pts";
    DeductionRules => "扣分标准", "Deduction rules";
    PointsOff => "扣分值", "Points off";
    Count => "数量", "Count";
    Measured => "实测值", "Measured value";
    AllowedRange => "允许范围", "Allowed range";
    OutOfRange => "超出允许范围：不符合", "Outside the allowed range: non-conform";
    Note => "备注", "Note";
    Photos => "照片", "Photos";
    TakePhoto => "拍照", "Take photo";
    ChoosePhoto => "选择图片", "Choose image";
    PhotoWorking => "正在压缩照片…", "Downscaling the photo…";
    PhotoTaken => "已拍照", "Photographed";
    TextAnswer => "记录", "Record";
    RecordHazard => "登记隐患", "Record a hazard";
    HazardsOfItem => "本项隐患", "Hazards of this item";
    Major => "重大", "Major";
    General => "一般", "General";
    StopWorkItem => "停工条件", "Stop-work trigger";
    Failed => "不符合", "Failed";
    Unverified => "未核对原文", "Not checked against the source";
    ExportBundle => "导出检查包 (.zicha)", "Export bundle (.zicha)";
    DeleteInspection => "删除检查", "Delete inspection";
    // Scores.
    ScoreTitle => "得分", "Score";
    Total => "总分", "Total";
    Grade => "评定等级", "Grade";
    NoGrade => "尚未评分", "Not scored yet";
    GradeIncomplete => "评分未完成", "Scoring incomplete";
    IncompleteMissing => "保证项目须全数检查（JGJ 59-2011 4.0.1），尚缺：", "Every 保证项目 must be checked (JGJ 59-2011 4.0.1); still missing:";
    SheetAbsent => "本工程无此项", "Not on this site";
    SheetAbsentNote => "本表已声明本工程无此项，不评分。", "This sheet is declared not on this site and is not scored.";
    SitePresence => "本工程有哪些分项（JGJ 59）", "What this site has (JGJ 59 sheets)";
    SitePresenceHint => "未勾选的表声明为本工程无此项，不评分；脚手架等由多张表组成的分项按所勾选各表的平均分计。", "Unticked sheets are declared not on this site and are not scored; a row fed by several sheets (脚手架: the scaffold types used) takes the mean of the ticked ones.";
    NotApplicableReason => "不适用原因", "Reason it does not apply";
    ConfirmNotApplicable => "确认不适用", "Confirm not applicable";
    GuaranteeNotApplicable => "保证项目须全数检查，不能选不适用（JGJ 59-2011 4.0.1）；本工程没有整张表的内容时，在表头声明本工程无此项。", "A 保证项目 must be checked and cannot be N/A (JGJ 59-2011 4.0.1); if the site has nothing of this sheet, declare it not on this site at the sheet's head.";
    Judgement => "判定结果", "Judgement";
    NoHazardsFound => "本次未发现隐患", "no hazards found";
    AnsweringAs => "当前检查人", "Answering as";
    Five100 => "五个100%", "Five 100% rates";
    NotChecked => "未检查", "not checked";
    StopWork => "应立即停工整改", "Stop work and rectify now";
    Summary => "JGJ 59 汇总表", "JGJ 59 summary";
    Row => "分项", "Item";
    Weight => "应得分", "Weight";
    RowScore => "实得分", "Score";
    Sheets => "分项检查评分表", "Score sheets";
    Sheet => "评分表", "Sheet";
    SectionScores => "各分项得分", "Section scores";
    Progress => "进度", "Progress";
    // Hazard form and ledger.
    HazardNew => "登记隐患", "Record a hazard";
    Description => "隐患描述", "Description";
    Location => "部位", "Location";
    LevelLabel => "隐患等级", "Level";
    Basis => "依据", "Basis";
    FoundBy => "发现人", "Found by";
    FoundAt => "发现日期", "Found on";
    PhotosBefore => "整改前照片", "Photos before";
    PhotosAfter => "整改后照片", "Photos after";
    AddHazard => "登记", "Record";
    DescriptionRequired => "请填写隐患描述", "Enter a description";
    LedgerTitle => "隐患台账", "Hazard ledger";
    LedgerIntro => "一患一档一策：五定整改（措施、标准、资金、期限、责任人），重大隐患治理方案与挂牌督办，验收由整改人以外的人进行，状态变更留痕。", "One file and one plan per hazard: measures, acceptance standard, funds, deadline, responsible person; a remediation plan and supervision for major hazards; verified by someone other than who rectified; every status change recorded.";
    NoHazards => "没有符合条件的隐患。", "No hazards match.";
    FilterStatus => "状态", "Status";
    FilterLevel => "等级", "Level";
    FilterOverdue => "只看逾期", "Overdue only";
    FilterProject => "项目", "Project";
    All => "全部", "All";
    Supervised => "挂牌督办", "Supervised";
    Overdue => "已逾期", "Overdue";
    Measures => "整改措施", "Measures";
    Funds => "整改资金（元）", "Funds (yuan)";
    Deadline => "整改期限", "Deadline";
    PartySigner => "签字人", "Person who signs";
    PartyTitle => "职务", "Position";
    PartyPhone => "电话", "Phone";
    OpenHazard => "查看与整改", "Open and rectify";
    BackToLedger => "返回隐患台账", "Back to the ledger";
    Responsible => "整改责任人", "Responsible person";
    EmergencyPlan => "应急预案/安全措施", "Emergency plan";
    Rectification => "五定整改方案", "Rectification plan";
    History => "状态记录", "History";
    NoHistory => "尚无状态变更", "No status change yet";
    Operator => "操作人", "Operator";
    TransitionNote => "说明", "Remark";
    StartRectification => "开始整改", "Start rectification";
    SubmitVerification => "整改完成，提交验收", "Rectified: submit for verification";
    VerifyPass => "验收通过，销号", "Verified: close";
    VerifyFail => "验收不通过，退回整改", "Verification failed: back to rectification";
    MissingFields => "开始整改前请填写：", "Before rectification can start, fill in:";
    OperatorRequired => "请填写操作人", "Enter who makes the change";
    FromInspection => "来源检查", "Inspection";
    HazardClosed => "已销号，不能再修改（挂牌督办的摘牌信息除外）。", "Closed: no further changes (except the authority's delisting).";
    CategoryLabel => "隐患类别", "Category";
    CategoryNone => "（未分类）", "(not classified)";
    AcceptanceStandard => "验收标准（定标准）", "Acceptance standard";
    InterimMeasures => "临时管控措施", "Interim measures";
    GovernancePlanTitle => "重大隐患治理方案", "Major hazard remediation plan";
    SupervisionTitle => "挂牌督办", "Supervision by an authority";
    SupervisionAuthority => "督办单位", "Supervising authority";
    SupervisionLevelLabel => "督办级别", "Level";
    SupervisionDocument => "督办文号", "Document number";
    SupervisionDeadline => "督办期限", "Supervision deadline";
    DelistedOn => "摘牌日期", "Delisted on";
    DelistedBy => "摘牌单位/人", "Delisted by";
    ClosureTitle => "销号：治理效果评估与报告", "Closing: evaluation and report";
    Evaluation => "治理效果评估", "Evaluation of the result";
    ReportedOn => "报告监管部门日期", "Reported to the regulator on";
    ReportedTo => "报告对象（监管部门）", "Reported to (regulator)";
    ClosureMissing => "重大隐患销号前请填写：", "Before a major hazard is closed, fill in:";
    Verifier => "验收人", "Verifier";
    VerifierRequired => "请填写验收人", "Enter who verifies";
    VerifierNotSeparate => "验收人不能是整改责任人，也不能是提交验收的人。", "The verifier can be neither the person responsible for the rectification nor the person who submitted it.";
    FixOnTheSpot => "即查即改，当场销号", "Fixed on the spot: close";
    FixOnTheSpotHint => "一般隐患当场整改完毕的，拍整改后照片后直接销号。", "A general hazard fixed on the spot closes at once with a photo after rectification.";
    FixNeedsPhoto => "请先添加整改后照片", "Add a photo after rectification first";
    OnTheSpot => "即查即改", "fixed on the spot";
    // Notices (both modules show them) and the navigation.
    SettingsTitle => "设置", "Settings";
    RestoreDone => "已恢复", "Restored";
    ImportDone => "已导入检查包", "Bundle imported";
    StorageLow => "存储空间不足：请先下载备份，再删除已完成的旧检查或清理设备空间。", "Storage is running short: download a backup, then delete old finished inspections or free space on the device.";
    QuotaExceeded => "存储空间已满，刚才的修改未能保存到本机。已填写的内容仍在本页，请勿关闭或刷新；请先下载备份，再删除旧检查或清理设备空间，空间恢复后会自动保存。未能保存的照片需重新添加。", "Storage is full: the last change was not saved on this device. What you entered is still on this page: do not close or reload it. Download a backup first, then delete old inspections or free space; it is saved by itself once there is room. Photos that could not be saved must be added again.";
    GoToBackup => "去下载备份", "Download a backup";
    StorageFailed => "无法写入本机存储：", "Cannot write to storage on this device:";
    LoadFailed => "无法打开本机数据库：", "Cannot open the database on this device:";
    ChecklistsFailed => "无法载入检查表：", "Cannot load the checklists:";
    ChecklistsFailedHelp => "请在有网络时重新打开本页，以便下载检查表；已有的数据不受影响。", "Open this page again with a network connection so that the checklists can be downloaded; your data is not affected.";
    LoadFailedHelp => "请确认浏览器未处于禁止存储的隐私模式，然后刷新页面。", "Make sure the browser is not in a mode that blocks storage, then reload.";
    InvalidAnswer => "该答案不符合检查项要求。", "This answer does not fit the item.";
    NotANumber => "请输入数字。", "Enter a number.";
    CountNotAllowed => "次数应为 1 或以上的整数（仅按人、按处计的扣分可多于 1）。", "The count must be a whole number from 1 (more than 1 only where the rule counts per person or place).";
    TransitionRefused => "状态不能这样变更：", "This status change is not allowed:";
    RestoreFailed => "无法读取备份文件：", "Cannot read the backup file:";
    PhotoFailed => "无法处理照片：", "Cannot process the photo:";
    ExportFailed => "无法导出：", "Cannot export:";
    UpdateReady => "新版本已下载，下次启动时生效（数据不受影响）。", "A new version is ready and takes over on the next start (your data is kept).";
    OfflineReady => "已可离线使用：检查、签名和验证都不再需要网络。", "Ready to work offline: inspecting, signing and verifying need no network now.";
    OfflineChip => "✓ 可离线", "✓ Offline";
    OfflineMissing => "尚未能离线使用，联网时会继续下载。还缺：", "Not ready for offline use yet; the rest downloads when online. Missing: ";
    NavKeys => "签名密钥", "Keys";
    NavVerify => "验证报告", "Verify";
    SignAndExport => "签字并导出报告", "Sign and export the report";
    NavChecklists => "检查表", "Checklists";
    ExportResultsXlsx => "导出检查结果 (xlsx)", "Export results (xlsx)";
    ExportLedgerXlsx => "导出隐患台账 (xlsx)", "Export the ledger (xlsx)";
    @extra
    // The 检查表 screen (pages/checklists.rs).
    ClTitle => "检查表", "Checklists";
    ClIntro => "内置的行业检查表和本企业导入的检查表。可从 Excel（xlsx、xls）、WPS/LibreOffice（ods）或 CSV 文件导入自己的检查表：先下载模板，按模板填写后导入。", "The built-in sector checklists and those your enterprise imported. Import your own from Excel (xlsx, xls), LibreOffice (ods) or CSV: download the template, fill it in, import it.";
    ClImport => "导入检查表", "Import a checklist";
    ClChooseFile => "选择文件（xlsx、xls、ods、csv）", "Choose a file (xlsx, xls, ods, csv)";
    ClImporting => "正在读取…", "Reading…";
    ClTemplate => "下载空白模板 (xlsx)", "Download the empty template (xlsx)";
    ClTemplateOf => "下载为模板", "Download as template";
    ClBuiltIn => "内置检查表", "Built-in checklists";
    ClImported => "已导入的检查表", "Imported checklists";
    ClNoneImported => "尚未导入检查表。", "No checklist imported yet.";
    ClColTitle => "名称", "Title";
    ClColSector => "行业", "Sector";
    ClColVersion => "版本", "Version";
    ClColItems => "检查项", "Items";
    ClColMajor => "重大", "Major";
    ClColVerified => "已核对原文", "Checked";
    ClProblemsTitle => "文件有以下问题，未导入：", "The file has these problems and was not imported:";
    ClColSheet => "工作表", "Sheet";
    ClColRow => "行", "Row";
    ClColColumn => "列", "Column";
    ClColMessage => "问题", "Problem";
    ClImportedTitle => "已导入：", "Imported:";
    ClAlreadyImported => "此版本已导入过（内容相同）。", "This version was imported before (same content).";
    ClSameIdAsBuiltIn => "检查表编号与内置检查表相同，请在“信息”表中改用本企业自己的编号：", "The checklist's id is that of a built-in checklist; give it your own id in sheet 信息:";
    ClUseIt => "新建检查时可选用此检查表。", "It can now be chosen for a new inspection.";
    KeyShared => "这把密钥也选给了另一方：每一方应使用本人的密钥签名（谁签字、谁负责）。", "This key is also chosen for another party: each party signs with their own key.";
    // Settings.
    Language => "语言", "Language";
    BackupTitle => "备份与恢复", "Backup and restore";
    BackupIntro => "备份文件包含企业信息、项目、全部检查、隐患和照片（.zicha 检查包格式）。请定期备份并保存到其他设备。", "The backup holds the profile, projects, every inspection, hazard and photo (.zicha bundles). Back up regularly and keep the file on another device.";
    Backup => "下载备份", "Download backup";
    Restore => "从备份恢复", "Restore from backup";
    RestoreWarning => "恢复会用备份中的数据替换本机的全部数据。", "Restoring replaces all data on this device with the backup.";
    StorageTitle => "本机存储", "Storage on this device";
    StorageUsed => "已用", "Used";
    StorageQuota => "可用上限", "Quota";
    StorageUnknown => "浏览器未提供存储用量。", "The browser does not report storage use.";
    Persistent => "持久存储", "Persistent storage";
    PersistGranted => "已获准：浏览器不会自动清除本应用的数据。", "Granted: the browser will not evict this app's data.";
    PersistDenied => "未获准：存储紧张时浏览器可能清除数据，请经常备份。", "Not granted: the browser may evict data when space is short; back up often.";
    RequestPersist => "申请持久存储", "Request persistent storage";
    AboutTitle => "关于", "About";
    AboutText => "全部数据只保存在本机浏览器中，不会上传到任何服务器。", "All data stays in this browser on this device; nothing is uploaded anywhere.";
    // Report: sign and export (pages/report.rs).
    ReportTitle => "签字与报告", "Signatures and report";
    ReportIntro => "各方在下面手写签名，并选择数字签名密钥。生成的PDF报告依次加盖各方的数字签名（谁排查、谁签字、谁负责），然后下载。", "Each party signs by hand below and chooses a signing key. The PDF report is rendered, the parties' digital signatures are applied in order (whoever inspects signs and answers for it), and the file is downloaded.";
    NoKeysForReport => "本设备还没有签名密钥；没有密钥时报告只带手写签名。新建或导入密钥：", "No signing key on this device yet; without one the report carries handwritten signatures only. Create or import a key:";
    HandSignHere => "手写签名：", "Handwritten signature:";
    ClearPad => "清除重签", "Clear";
    PadEmptyHint => "用手指、触控笔或鼠标在此签名", "Sign here with a finger, pen or mouse";
    SigningKey => "数字签名密钥", "Signing key";
    NoDigitalSignature => "（不加数字签名）", "(no digital signature)";
    RenderAndSign => "生成报告并签名", "Render and sign the report";
    DownloadBundle => "下载检查数据包（.zicha）", "Download the inspection bundle (.zicha)";
    ReportReady => "报告已生成并下载", "Report rendered and downloaded";
    PagesUnit => "页", "pages";
    SignaturesUnit => "个数字签名", "digital signatures";
    RenderTime => "生成", "rendered in";
    SignTime => "签名", "signed in";
    Cancelled => "已取消，未生成文件", "Cancelled; no file was written";
    StageFont => "正在载入报告字体…", "Loading the report font…";
    StagePhotos => "正在处理照片", "Preparing photos";
    StagePages => "正在排版", "Laying out pages";
    StageSigning => "正在签名…", "Signing…";
    StageChecking => "正在验证", "Checking";
    StageWriting => "正在写入文件…", "Writing the file…";
    // --- end report ---
    // Keys (pages/keys.rs).
    KeysTitle => "签名密钥", "Signing keys";
    KeysWarning => "在本浏览器中创建的密钥无法导出：清除本站数据（或卸载浏览器、重置手机）会永久删除它。创建时请下载加密备份文件并妥善保存；丢失密钥后只能新建密钥并重新向监管部门登记证书。", "A key created in this browser cannot be exported: clearing this site's data (or the browser, or resetting the phone) deletes it for good. Download the encrypted backup when you create it and keep it safe; without it a lost key can only be replaced by a new one, registered again with the regulator.";
    KeysList => "已有密钥", "Keys on this device";
    NoKeys => "还没有签名密钥。", "No signing keys yet.";
    KeyKindLabel => "类型", "Kind";
    KeyKindBrowser => "本浏览器创建（不可导出）", "Created in this browser (non-extractable)";
    KeyKindPkcs12 => "CA 证书文件（.p12，加密保存）", "CA certificate file (.p12, kept encrypted)";
    KeyKindBackup => "密钥备份（加密保存）", "Key backup (kept encrypted)";
    Validity => "有效期", "Valid";
    Algorithm => "算法", "Algorithm";
    Fingerprint => "证书指纹（SHA-256）", "Certificate fingerprint (SHA-256)";
    QrCaption => "扫码登记证书指纹", "Scan to register the certificate fingerprint";
    DownloadCertificate => "下载证书", "Download certificate";
    ShowQr => "显示二维码", "Show QR code";
    DeleteKeyConfirm => "删除这个密钥？文件可以再次导入。", "Delete this key? The file can be imported again.";
    DeleteBrowserKeyConfirm => "删除这个密钥？它无法恢复，只能用创建时下载的备份文件导入。", "Delete this key? It cannot be recovered except from the backup file downloaded when it was created.";
    CreateKeyTitle => "新建密钥", "Create a key";
    CreateKeyIntro => "在本浏览器中生成 ECDSA P-256 密钥和自签证书（企业名称与统一社会信用代码取自企业信息）。", "Generates an ECDSA P-256 key in this browser with a self-issued certificate (enterprise name and credit code from the profile).";
    Signer => "签名人", "Signer";
    ValidityDays => "有效天数", "Valid for (days)";
    BackupPassphrase => "备份口令", "Backup passphrase";
    BackupPassphraseHint => "至少8个字符。备份文件用它加密，创建后立即下载。", "At least 8 characters. The backup file, downloaded right after creation, is encrypted with it.";
    PassphraseAgain => "再次输入口令", "Passphrase again";
    PassphraseShort => "口令至少需要8个字符", "The passphrase needs at least 8 characters";
    PassphraseMismatch => "两次输入的口令不一致", "The passphrases differ";
    CreateKey => "创建密钥并下载备份", "Create key and download backup";
    ImportKeyTitle => "导入密钥", "Import a key";
    ImportKeyIntro => "导入CA签发的 .p12/.pfx 文件或本应用的密钥备份。文件按原样加密保存，每次签名时输入口令。", "Import a .p12/.pfx file from a CA or a key backup of this app. The file is kept encrypted as it is; its passphrase is asked at each signature.";
    KeyFile => "密钥文件", "Key file";
    Passphrase => "口令", "Passphrase";
    ImportKey => "导入", "Import";
    ChooseFile => "请先选择文件", "Choose a file first";
    // --- end keys ---
    // Verify (pages/verify.rs).
    VerifyTitle => "验证签名报告", "Verify signed reports";
    VerifyIntro => "检查收到的 PDF 报告：签名是否有效、签名后是否被修改，并用报告内嵌的检查数据重新评分。文件只在本机浏览器中检查，不会上传。", "Check received PDF reports: whether each signature is valid, whether anything changed after signing, and the embedded inspection data re-scored. Files are checked in this browser only and never uploaded.";
    VerifyFilesTitle => "报告文件", "Report files";
    VerifyDrop => "把签名的 PDF 报告拖放到这里，可一次多个", "Drop signed PDF reports here, one or many";
    VerifyOr => "或", "or";
    VerifyChoose => "选择 PDF 文件", "Choose PDF files";
    VerifyChosen => "已选择 {n} 个文件", "{n} files chosen";
    TrustTitle => "信任列表", "Trust list";
    TrustIntro => "已登记企业证书的 SHA-256 指纹（文本文件，每行一个）。载入后，证书不在列表中的签名使文件无效（签名人证书未登记）；未载入时不核验签名人身份。", "SHA-256 fingerprints of registered enterprise certificates (a text file, one per line). With a list, a signature whose certificate is not on it makes the file not valid (unregistered); without one, who signed is not checked.";
    TrustLoad => "载入信任列表", "Load trust list";
    TrustClear => "清除信任列表", "Clear trust list";
    TrustNone => "未载入信任列表", "No trust list loaded";
    TrustLoaded => "已载入 {n} 个指纹（{file}）", "{n} fingerprints loaded ({file})";
    TrustBadLine => "信任列表无法使用：第 {n} 行不是 SHA-256 指纹", "The trust list cannot be used: line {n} is not a SHA-256 fingerprint";
    KeyExpired => "证书已过期，不能签名", "certificate expired: cannot sign";
    KeyNotYetValid => "证书尚未生效，不能签名", "certificate not yet valid: cannot sign";
    TrustEmpty => "信任列表无法使用：其中没有任何指纹", "The trust list cannot be used: it holds no fingerprint";
    VerifyChecking => "已检查 {done} / {total} 份", "Checked {done} of {total}";
    VerifyReading => "正在读取文件…", "Reading the files…";
    VerifyCancel => "取消验证", "Cancel verification";
    VerifyCancelled => "已取消验证。", "Verification cancelled.";
    VerifyFailed => "无法验证：", "Cannot verify:";
    VerifyResults => "验证结果", "Results";
    VerifyCounts => "共 {total} 份：有效 {valid}，无效 {invalid}，签名后被修改 {modified}，签名人证书未登记 {unregistered}", "{total} files: {valid} valid, {invalid} invalid, {modified} modified after signing, {unregistered} unregistered";
    VerifyExportCsv => "导出 CSV", "Export CSV";
    VerifyFirstVerdict => "初步结果：签名、签名人身份和内嵌数据已核对；页面与数据的比对仍在进行，完成后给出最终结论。", "First verdict: signatures, identity and data checked; the comparison of the pages with the data is still running and gives the final verdict.";
    VerifyComparing => "正在比对页面：{done} / {total} 份", "Comparing pages: {done} of {total}";
    VerifyCountsFirst => "共 {total} 份：页面比对中 {pending}，无效 {invalid}，签名后被修改 {modified}，签名人证书未登记 {unregistered}", "{total} files: {pending} with pages being compared, {invalid} invalid, {modified} modified after signing, {unregistered} unregistered";
    VerdictPending => "签名、身份和数据无误，页面比对中", "signatures, identity and data in order; pages being compared";
    VerdictIncomplete => "有效但未签全", "Valid, not signed by every party";
    InboxTitle => "收件箱", "Inbox";
    InboxIntro => "本浏览器核验过的报告（只保存核验结果，不保存 PDF，除非勾选“保留 PDF”）；字段与 zicha register 登记簿相同。离线可用。", "Reports verified in this browser (their results only, not the PDFs unless \"Keep the PDF\" is ticked), with the fields of zicha register's register. Works offline.";
    InboxEmpty => "收件箱是空的：核验的报告会保存在这里。", "The inbox is empty: verified reports are kept here.";
    InboxKeepPdf => "保留 PDF", "Keep the PDF";
    InboxKeepPdfHint => "勾选后，核验的 PDF 文件也保存在本浏览器中。", "When ticked, the verified PDF files are kept in this browser too.";
    InboxAll => "全部", "All";
    InboxFilters => "筛选", "Filters";
    InboxSector => "行业", "Sector";
    InboxVerdict => "结论", "Verdict";
    InboxMonth => "检查月份", "Inspection month";
    InboxMajorOpen => "有未整改重大隐患", "Open 重大 hazards";
    InboxMajorOpenShort => "未整改重大隐患", "Open major";
    InboxOverdue => "有逾期隐患", "Overdue hazards";
    InboxOverdueShort => "逾期", "Overdue";
    InboxClearFilters => "清除筛选", "Clear filters";
    InboxCounts => "显示 {shown} / {all} 份 · 有效 {valid} · 无效 {not_valid} · 有未整改重大隐患 {major} · 有逾期隐患 {overdue} · 停工 {stop} · 重新报送 {resubmitted}", "Showing {shown} of {all} · valid {valid} · not valid {not_valid} · open major hazards {major} · overdue {overdue} · stop work {stop} · resubmitted {resubmitted}";
    InboxAdded => "已保存 {added} 份新报告到收件箱；{duplicates} 份此前已保存（同一文件）。", "{added} new reports kept in the inbox; {duplicates} were there already (the same file).";
    InboxFailed => "收件箱出错：", "The inbox failed:";
    InboxRevision => "第 {n} 次报送", "Submission {n}";
    InboxChartVerdicts => "各月核验结论", "Verdicts by inspection month";
    InboxChartGrades => "各月评定等级", "Grades by inspection month";
    InboxExportXlsx => "导出 Excel", "Export xlsx";
    InboxFile => "文件", "File";
    InboxSigned => "已签", "signed";
    InboxNotSigned => "未签", "not signed";
    InboxReceived => "收到时间", "Received";
    InboxInspectionId => "检查编号", "Inspection id";
    InboxSupersedes => "替代先前报送", "Supersedes";
    InboxParties => "签名框", "Signature boxes";
    InboxScores => "分项得分", "Section scores";
    InboxDownloadPdf => "下载 PDF", "Download the PDF";
    InboxRemove => "从收件箱删除", "Remove from the inbox";
    VerdictValid => "有效", "valid";
    VerdictInvalid => "无效", "invalid";
    VerdictModified => "签名后被修改", "modified after signing";
    VerdictUnregistered => "签名人证书未登记", "unregistered";
    VerifySignatures => "签名", "Signatures";
    VerifyNoSignatures => "没有签名", "No signatures";
    VerifySigner => "签名人", "Signer";
    VerifyOrganisation => "单位", "Organisation";
    VerifyTime => "签名时间", "Signed at";
    VerifyFingerprint => "证书指纹", "Certificate fingerprint";
    VerifyTrustKnown => "已登记", "registered";
    VerifyTrustUnknown => "未登记", "not registered";
    VerifyTrustNotChecked => "身份未核验", "identity not checked";
    VerifyIdentityNotChecked => "未载入信任列表：签名人身份未核验，证书中的姓名和单位仅为持有人自填。", "No trust list loaded: who signed was not checked; the names in a certificate are what its holder wrote.";
    VerifyTimeClaimed => "签名人自报时间，无时间戳证明", "claimed by the signer, no timestamp";
    VerifySelfSigned => "自签发证书", "self-issued certificate";
    VerifyReasons => "发现的问题", "Findings";
    VerifyInspection => "报告内嵌的检查数据（重新评分）", "Inspection data in the report (re-scored)";
    VerifyNoInspection => "报告中没有可读取的检查数据。", "The report carries no readable inspection data.";
    VerifyNotScored => "无法重新评分", "could not be re-scored";
    VerifyHazards => "隐患", "Hazards";
    VerifyHazardsOpen => "未销号", "Open";
    VerifyStopWork => "停工", "Stop work";
    VerifyMatches => "与报告汇总一致", "Matches the report's summary";
    VerifyNoSummary => "报告无汇总可比", "no summary to compare";
    VerifyDataSigned => "检查数据在签名范围内", "Data covered by a signature";
    VerifyYes => "是", "yes";
    VerifyNo => "否", "no";
    VerifyRate => "指标", "Rate";
    VerifyRateValue => "达标/检查", "Met/checked";
    VerifyBadResult => "验证结果无法读取：", "A result cannot be read:";
    // --- end verify ---
    // Countersign (pages/countersign.rs, on the verify screen).
    CsTitle => "会签收到的报告", "Countersign a received report";
    CsIntro => "监理、企业负责人等各方在自己的设备上用自己的密钥签署：打开收到的已签名报告，先验证，再在属于您的空白签名框中手写签名并加上数字签名（增量更新，原有签名保持有效）。文件只在本机处理，不会上传。", "Each party signs on its own device with its own key: open a received signed report, it is verified first, then draw your signature and add your digital signature in your own empty box (an incremental update: earlier signatures stay valid). The file stays on this device.";
    CsDrop => "把收到的 PDF 报告拖放到这里", "Drop the received PDF report here";
    CsChoose => "选择报告", "Choose a report";
    CsChecking => "正在验证报告…", "Verifying the report…";
    CsBoxes => "签名框", "Signature boxes";
    CsSigned => "已签署", "signed";
    CsFree => "待签署", "not yet signed";
    CsYourBox => "您的签名框", "Your box";
    CsKey => "您的密钥", "Your key";
    CsChooseKey => "请选择密钥", "Choose a key";
    CsNoKeys => "本设备还没有签名密钥：请先在“签名密钥”页面创建或导入。", "This device has no signing key yet: create or import one on the keys screen first.";
    CsHandSign => "请在此手写签名", "Sign here by hand";
    CsSign => "会签并下载", "Countersign and download";
    CsSigning => "正在签名…", "Signing…";
    CsDone => "已会签并下载：", "Countersigned and downloaded:";
    CsFailed => "会签失败：", "Countersigning failed:";
    CsRefusedNotAReport => "不能会签：这不是本应用生成的报告（没有预留签名框），可能来自其他软件。", "Cannot countersign: this is not a report made by this app (it reserves no signature boxes); it may come from another program.";
    CsRefusedModified => "不能会签：报告在签名后被修改过（存在修改过的修订版本）。请向发送方索取原件。", "Cannot countersign: the report was changed after it was signed (a modified revision). Ask the sender for the original.";
    CsRefusedNotValid => "不能会签：报告的签名验证未通过。", "Cannot countersign: the report's signatures did not verify.";
    CsRefusedNotProven => "不能会签：无法证明报告页面与其内嵌数据一致。", "Cannot countersign: the report's pages are not proven to match its data.";
    CsRefusedAllSigned => "不能会签：所有签名框都已签署。", "Cannot countersign: every box is signed already.";
    CsRefusedNoSuchBox => "不能会签：报告中没有这个签名框。", "Cannot countersign: the report has no such box.";
    CsRefusedBoxSigned => "不能会签：您的签名框已经签署过，不能重复签名。", "Cannot countersign: your box is signed already and cannot be signed again.";
    CsRefusedOtherUnit => "不能会签：所选密钥的证书单位不是该签名框所代表的单位。", "Cannot countersign: the chosen key's certificate is issued to another unit than the one the box stands for.";
    CsRefusedOtherSigner => "不能会签：报告中没有属于所选证书签名人的签名框。", "Cannot countersign: the report has no box for the chosen certificate's signer.";
    CsRefusedCertificate => "不能会签：证书不在有效期内。", "Cannot countersign: the certificate is not valid now.";
    // --- end countersign ---
}

/// A register entry's latest risk assessment, e.g. 最近评估：2026-11-01（王伟）.
pub fn last_assessment(lang: Lang, date: &str, by: &str) -> String {
    match (lang, by.is_empty()) {
        (Lang::Zh, true) => format!("最近评估：{date}"),
        (Lang::Zh, false) => format!("最近评估：{date}（{by}）"),
        (Lang::En, true) => format!("Last assessed {date}"),
        (Lang::En, false) => format!("Last assessed {date} by {by}"),
    }
}

/// `answered/items`, e.g. 12/40.
pub fn fraction(answered: usize, items: usize) -> String {
    format!("{answered}/{items}")
}

/// Why a deduction's points or count do not fit its rule, in the user's terms.
pub fn deduction_problem(lang: Lang, problem: zicha_core::checklist::DeductionProblem) -> String {
    use zicha_core::checklist::DeductionProblem;
    match problem {
        DeductionProblem::PointsOutOfRange { min, max } => match lang {
            Lang::Zh => format!("扣分值应在 {}–{} 分之间。", number(min), number(max)),
            Lang::En => format!(
                "Points off must be between {} and {}.",
                number(min),
                number(max)
            ),
        },
        DeductionProblem::CountNotAllowed => T::CountNotAllowed.get(lang).to_owned(),
    }
}

/// A number the way scores are printed: at most two decimals, no trailing zeros. Written with
/// integer arithmetic: the shell then links none of the standard library's fixed-precision float
/// formatting (about 2 KB gzip).
pub fn number(value: f64) -> String {
    decimals(value, 2)
}

/// A byte count in MB with one decimal (trailing zero kept, as "2.0 MB").
pub fn megabytes(bytes: f64) -> String {
    let tenths = (bytes / 1_048_576.0 * 10.0).round().max(0.0) as u64;
    format!("{}.{} MB", tenths / 10, tenths % 10)
}

/// `value` rounded (half away from zero) to `places` decimals (at most 3), without trailing
/// zeros.
fn decimals(value: f64, places: u32) -> String {
    let scale = 10u64.pow(places.min(3));
    let scaled = (value * scale as f64).round();
    let negative = scaled < 0.0;
    let scaled = scaled.abs() as u64;
    let (whole, mut fraction, mut width) = (scaled / scale, scaled % scale, places.min(3) as usize);
    while width > 0 && fraction % 10 == 0 {
        fraction /= 10;
        width -= 1;
    }
    let sign = if negative { "-" } else { "" };
    if width == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction:0width$}")
    }
}

/// The hazard level's name.
pub fn level(lang: Lang, level: Level) -> &'static str {
    match level {
        Level::General => T::General.get(lang),
        Level::Major => T::Major.get(lang),
    }
}

/// The status's name.
pub fn status(lang: Lang, status: Status) -> &'static str {
    match lang {
        Lang::Zh => status.zh(),
        Lang::En => status.en(),
    }
}

/// One entry of what keeps the score from a grade (`ScoreReport::incomplete`).
pub fn missing(lang: Lang, missing: &zicha_core::score::Missing) -> String {
    match (lang, &missing.item) {
        (Lang::Zh, _) => missing.zh(),
        (Lang::En, Some(item)) => format!(
            "{} 保证项目 {} ({item}) not checked",
            missing.sheet, missing.title
        ),
        (Lang::En, None) => format!(
            "{} {}: not checked, nor declared not on this site",
            missing.sheet, missing.title
        ),
    }
}

/// When a 保证项目 item may be 不适用 (the checklist's `absent_if`).
pub fn absent_if(lang: Lang, condition: &str) -> String {
    match lang {
        Lang::Zh => format!("本项仅在以下情况可不适用，并须说明原因：{condition}"),
        Lang::En => format!("May be N/A only when (give the reason): {condition}"),
    }
}

/// The grade's name.
pub fn grade(lang: Lang, grade: Grade) -> &'static str {
    match (lang, grade) {
        (Lang::Zh, grade) => grade.zh(),
        (Lang::En, Grade::Excellent) => "excellent",
        (Lang::En, Grade::Pass) => "pass",
        (Lang::En, Grade::Fail) => "fail",
    }
}

/// The 判定标准's verdict for a checklist without a scoring standard (see
/// [`zicha_core::score::Judgement::verdict_zh`]).
pub fn verdict(lang: Lang, judgement: &Judgement) -> &'static str {
    match lang {
        Lang::Zh => judgement.verdict_zh(),
        Lang::En if judgement.major_present => "major hazard present",
        Lang::En if judgement.major_found => "major hazards found, all closed",
        Lang::En => "no major hazard found",
    }
}

/// The open hazards behind a verdict: "重大 1 项（未销号 1）· 一般 2 项（未销号 1）".
pub fn judgement_counts(lang: Lang, judgement: &Judgement) -> String {
    let (major, general) = (judgement.major.total(), judgement.general.total());
    match lang {
        Lang::Zh => format!(
            "重大 {major} 项（未销号 {}）· 一般 {general} 项（未销号 {}）",
            judgement.major_open, judgement.general_open
        ),
        Lang::En => format!(
            "major {major} ({} open) · general {general} ({} open)",
            judgement.major_open, judgement.general_open
        ),
    }
}

/// The name of a five 100% rate.
pub fn rate_title(lang: Lang, target: Target) -> &'static str {
    match (lang, target) {
        (Lang::Zh, target) => target.zh(),
        (Lang::En, Target::Responsibility) => "Each party's safety responsibility in place",
        (Lang::En, Target::Supervision) => "Supervision responsibility in place",
        (Lang::En, Target::Rules) => "Safety rules established and followed",
        (Lang::En, Target::Hazards) => "Hazards found and rectified",
        (Lang::En, Target::MajorSources) => "Major hazard sources monitored, risk assessed monthly",
    }
}

/// The name of a party's role.
pub fn party_role(lang: Lang, role: PartyRole) -> &'static str {
    match (lang, role) {
        (Lang::Zh, role) => role.zh(),
        (Lang::En, PartyRole::Client) => "Client",
        (Lang::En, PartyRole::Survey) => "Surveyor",
        (Lang::En, PartyRole::Design) => "Designer",
        (Lang::En, PartyRole::Contractor) => "Contractor",
        (Lang::En, PartyRole::Supervisor) => "Supervising engineer",
    }
}

/// A warning on the report page: the chosen key's certificate names `signer`, not `party`.
pub fn other_signer(lang: Lang, signer: &str, party: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "所选证书的签名人是 {signer}，不是 {party}：签名将以 {signer} 的名义落在 {party} 的签名框中"
        ),
        Lang::En => format!(
            "The chosen certificate names {signer}, not {party}: {signer}'s signature would go into {party}'s box"
        ),
    }
}

/// An imported checklist's counts: "共 12 项（重大 2 项），分 3 类".
#[cfg(feature = "extra")]
pub fn imported_summary(lang: Lang, items: usize, major: usize, sections: usize) -> String {
    match lang {
        Lang::Zh => format!("共 {items} 项（重大 {major} 项），分 {sections} 类"),
        Lang::En => format!("{items} items ({major} major) in {sections} sections"),
    }
}

/// The words of a countersign refusal (zicha_report::countersign::Refusal's code).
#[cfg(feature = "extra")]
pub fn countersign_refusal(code: &str) -> T {
    match code {
        "not-a-report" => T::CsRefusedNotAReport,
        "modified" => T::CsRefusedModified,
        "not-proven" => T::CsRefusedNotProven,
        "all-signed" => T::CsRefusedAllSigned,
        "no-such-box" => T::CsRefusedNoSuchBox,
        "box-signed" => T::CsRefusedBoxSigned,
        "other-unit" => T::CsRefusedOtherUnit,
        "other-signer" => T::CsRefusedOtherSigner,
        "certificate" => T::CsRefusedCertificate,
        _ => T::CsRefusedNotValid,
    }
}

/// "n hazards" for a count.
pub fn hazard_count(lang: Lang, count: usize) -> String {
    match lang {
        Lang::Zh => format!("{count} 条隐患"),
        Lang::En if count == 1 => "1 hazard".to_owned(),
        Lang::En => format!("{count} hazards"),
    }
}

/// The localized name of a missing field as reported by `Hazard::missing_plan_fields` or
/// `Closure::missing`; an unknown field is shown as it is.
pub fn plan_field(lang: Lang, field: &str) -> &str {
    match field {
        "rectification.measures" => T::Measures.get(lang),
        "rectification.acceptance_standard" => T::AcceptanceStandard.get(lang),
        "rectification.deadline" => T::Deadline.get(lang),
        "rectification.responsible" => T::Responsible.get(lang),
        "rectification.funds_yuan" => T::Funds.get(lang),
        "rectification.plan" => T::EmergencyPlan.get(lang),
        "rectification.interim_measures" => T::InterimMeasures.get(lang),
        "closure.evaluation" => T::Evaluation.get(lang),
        "closure.reported_on" => T::ReportedOn.get(lang),
        "closure.reported_to" => T::ReportedTo.get(lang),
        _ => match field.strip_prefix("governance_plan.") {
            Some(part) => governance_part(lang, part),
            None => field,
        },
    }
}

/// The title of a part of the 治理方案 (`GovernancePlan::parts`), by its field name.
pub fn governance_part(lang: Lang, part: &str) -> &str {
    match (lang, part) {
        (Lang::Zh, "goals_and_tasks") => "目标和任务",
        (Lang::Zh, "methods_and_measures") => "方法和措施",
        (Lang::Zh, "funds_and_materials") => "经费和物资",
        (Lang::Zh, "organisation_and_people") => "负责机构和人员",
        (Lang::Zh, "schedule_and_requirements") => "时限和要求",
        (Lang::Zh, "safety_and_emergency") => "安全措施和应急预案",
        (Lang::En, "goals_and_tasks") => "Goals and tasks",
        (Lang::En, "methods_and_measures") => "Methods and measures",
        (Lang::En, "funds_and_materials") => "Funds and materials",
        (Lang::En, "organisation_and_people") => "Organisation and people in charge",
        (Lang::En, "schedule_and_requirements") => "Time limits and requirements",
        (Lang::En, "safety_and_emergency") => "Safety measures and emergency plan",
        _ => part,
    }
}

/// The hazard category's name.
pub fn category(lang: Lang, category: Category) -> &'static str {
    match lang {
        Lang::Zh => category.zh(),
        Lang::En => category.en(),
    }
}

/// The supervision level's name.
pub fn supervision_level(lang: Lang, level: SupervisionLevel) -> &'static str {
    match (lang, level) {
        (Lang::Zh, level) => level.zh(),
        (Lang::En, SupervisionLevel::City) => "city",
        (Lang::En, SupervisionLevel::County) => "county",
    }
}

/// Text of a checklist title, item or section in `lang`, falling back to Chinese when the English
/// text is empty.
pub fn pick<'a>(lang: Lang, zh: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::En if !en.trim().is_empty() => en,
        _ => zh,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(value: f64, expected: &str) {
        assert_eq!(number(value), expected);
    }

    #[test]
    fn numbers_like_the_cli() {
        check(87.5, "87.5");
        check(100.0, "100");
        check(0.0, "0");
        check(66.666, "66.67");
        check(70.10, "70.1");
        check(79.99, "79.99");
        check(0.29, "0.29");
        check(2.05, "2.05");
        check(-1.5, "-1.5");
        check(-0.001, "0");
        check(12.0, "12");
    }

    #[test]
    fn megabytes_with_one_decimal() {
        assert_eq!(megabytes(0.0), "0.0 MB");
        assert_eq!(megabytes(1_048_576.0), "1.0 MB");
        assert_eq!(megabytes(2.5 * 1_048_576.0), "2.5 MB");
        assert_eq!(megabytes(104.14 * 1_048_576.0), "104.1 MB");
    }

    #[test]
    fn english_falls_back_to_chinese() {
        assert_eq!(pick(Lang::En, "安全管理", ""), "安全管理");
        assert_eq!(pick(Lang::En, "安全管理", "Safety"), "Safety");
        assert_eq!(pick(Lang::Zh, "安全管理", "Safety"), "安全管理");
    }

    #[test]
    fn every_missing_field_has_a_name() {
        let mut major = zicha_core::ledger::Hazard::new(
            "H-1",
            "x",
            Level::Major,
            "王",
            time::macros::date!(2026 - 01 - 01),
        );
        major.rectification.plan.clear();
        let fields: Vec<&str> = major
            .missing_plan_fields()
            .into_iter()
            .chain(major.closure.missing())
            .collect();
        assert_eq!(fields.len(), 5 + 1 + 6 + 3);
        for lang in [Lang::Zh, Lang::En] {
            for field in &fields {
                assert_ne!(plan_field(lang, field), *field, "{field} has no name");
            }
        }
        assert_eq!(
            plan_field(Lang::Zh, "governance_plan.safety_and_emergency"),
            "安全措施和应急预案"
        );
        assert_eq!(
            plan_field(Lang::Zh, "rectification.acceptance_standard"),
            "验收标准（定标准）"
        );
    }

    #[test]
    fn every_key_has_both_languages() {
        for key in [T::AppName, T::StopWork, T::QuotaExceeded] {
            assert!(!key.get(Lang::Zh).is_empty() && !key.get(Lang::En).is_empty());
        }
    }
}
