#!/usr/bin/env python3
"""Regenerate round/2025Q3/ for red-team corpus 4 (spreadsheets from other tools and habits).

Writes round/, round.truth.json and times.json next to this file. Needs openpyxl, xlwt,
python-docx and LibreOffice (soffice) for the .xls/.ods/.xlsx conversions (one call per format).
The task registry is read from `roundup tasks list` output kept in tasks.json (id -> [text, leads]).
"""
import json, os, random, shutil, subprocess, sys, tempfile
from pathlib import Path
import openpyxl, xlwt, docx
from openpyxl.styles import Alignment, Font, PatternFill, Border, Side
from openpyxl.worksheet.datavalidation import DataValidation

HERE = Path(__file__).resolve().parent
ROUND = "2025Q3"
OUT = HERE / "round" / ROUND
TASKS = {int(k): v for k, v in json.load(open(HERE / "tasks.json", encoding="utf-8")).items()}
rnd = random.Random(20250930)

def leads(t):
    return TASKS[t][1]

def unit_tasks(u):
    return [t for t in sorted(TASKS) if u in leads(t)]

# ---- ground truth: one base (status, percent) per task, shared by joint leads ----
BASE = {}
for t in sorted(TASKS):
    s = rnd.choice(["推进中", "推进中", "推进中", "已完成", "常态化推进", "未启动"])
    p = {"推进中": rnd.choice([30, 40, 45, 55, 60, 65, 70, 75, 80, 85]), "已完成": 100,
         "常态化推进": rnd.choice([80, 90, 100]), "未启动": 0}[s]
    BASE[t] = (s, p)
# fixed choices the habits below depend on
BASE[2] = ("推进中", 50); BASE[16] = ("推进中", 70); BASE[23] = ("推进中", 40)
BASE[72] = ("已完成", 100); BASE[89] = ("推进中", 60); BASE[80] = ("推进中", 55)
BASE[100] = ("推进中", 35); BASE[48] = ("已完成", 60); BASE[10] = ("推进中", 75)
BASE[71] = ("推进中", 65); BASE[82] = ("推进中", 45); BASE[92] = ("常态化推进", 90)
BASE[84] = ("推进中", 60); BASE[85] = ("推进中", 60); BASE[86] = ("推进中", 60)
BASE[63] = ("推进中", 60); BASE[95] = ("已完成", 100)
BASE[90] = ("推进中", 60); BASE[36] = ("推进中", 30); BASE[65] = ("推进中", 70)
BASE[69] = ("推进中", 90); BASE[11] = ("推进中", 1); BASE[60] = ("推进中", 55); BASE[18] = ("推进中", 50); BASE[19] = ("推进中", 65)
BASE[66] = ("推进中", 1); BASE[67] = ("推进中", 3); BASE[12] = ("已完成", 100)

TRUTH_ROWS, FILES, TIMES = [], {}, {}

def truth(u, t, status=None, percent=None):
    s, p = BASE[t]
    TRUTH_ROWS.append({"unit": u, "task": t, "status": s if status is None else status,
                       "percent": p if percent is None else percent})

def tfile(rel, unit, outcome="used", kind="spreadsheet", codes=(), task_codes=(), time="2025-10-09T16:30:00"):
    FILES[Path(rel).name] = {"unit": unit, "kind": kind, "outcome": outcome, "codes": list(codes),
                             "task_codes": [list(x) for x in task_codes]}
    TIMES[f"{ROUND}/{rel}" if not rel.startswith("../") else rel[3:]] = time

def prog(u, t):
    s, p = BASE[t]
    return f"{u}围绕任务{t}，本季度召开专题推进会{t % 4 + 1}次，会同相关部门细化工作方案，完成年度目标的{p}%。"

def row(u, t):
    s, p = BASE[t]
    return {"id": t, "text": TASKS[t][0], "lead": "、".join(leads(t)), "status": s, "pct": p,
            "prog": prog(u, t), "proj": f"落地项目{t % 5}个", "case": "", "prob": "跨部门协同仍需加强",
            "next": "持续推进，按期完成", "policy": "", "note": ""}

LABEL = {"id": "序号", "text": "试点任务", "lead": "牵头单位", "status": "完成状态", "pct": "完成进度（%）",
         "prog": "本期工作进展", "proj": "项目落地情况", "case": "案例报送", "prob": "存在问题",
         "next": "下步计划", "policy": "政策诉求", "note": "备注"}
STD = list(LABEL)
TITLE = "南京市服务业扩大开放综合试点任务推进情况表（2025年第三季度）"
THIN = Side(style="thin"); BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

def unitline(u, date="2025年10月9日", who="王敏"):
    return f"填报单位：{u}　　填报人：{who}　　联系电话：025-8368{rnd.randint(1000, 9999)}　　填报日期：{date}"

def xl_basic(ws, u, cols, rows, title=TITLE, date="2025年10月9日", labels=None, start=1):
    """title (merged), unit line (merged), header, data. Returns header row number."""
    labels = labels or {}
    n = len(cols)
    r = start
    ws.cell(r, 1, title).font = Font(name="方正小标宋简体", size=16)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
    ws.cell(r, 1).alignment = Alignment(horizontal="center")
    ws.cell(r + 1, 1, unitline(u, date))
    ws.merge_cells(start_row=r + 1, start_column=1, end_row=r + 1, end_column=n)
    h = r + 2
    for j, c in enumerate(cols, 1):
        x = ws.cell(h, j, labels.get(c, LABEL.get(c, c)))
        x.font = Font(bold=True); x.fill = PatternFill("solid", fgColor="D9E1F2"); x.border = BOX
        x.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for i, rw in enumerate(rows, h + 1):
        for j, c in enumerate(cols, 1):
            v = rw.get(c, "")
            x = ws.cell(i, j, v if v != "" else None)
            x.border = BOX; x.alignment = Alignment(wrap_text=True, vertical="top")
    widths = {"text": 40, "prog": 40, "lead": 16}
    for j, c in enumerate(cols, 1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(j)].width = widths.get(c, 12)
    return h

SRC = Path(tempfile.mkdtemp(prefix="rt4src"))
TO_XLS, TO_ODS, TO_XLSX = [], [], []   # (source path, final rel path)

def save_wb(wb, rel):
    p = OUT / rel; p.parent.mkdir(parents=True, exist_ok=True); wb.save(p)

def main():
    if (HERE / "round").exists():
        shutil.rmtree(HERE / "round")
    OUT.mkdir(parents=True)

    # 1 市科技局: two-row header with merged group headers, percent typed as text "60%"
    u = "市科技局"; ts = unit_tasks(u)
    wb = openpyxl.Workbook(); ws0 = wb.active; ws0.title = "进展表"
    for ws, date, current in [(ws0, "2025年7月8日", False), (wb.create_sheet("进展表 (2)"), "2025年10月8日", True)]:
        cols = STD
        ws.cell(1, 1, "南京市服务业扩大开放综合试点任务推进情况表"); ws.merge_cells("A1:L1")
        ws.cell(2, 1, unitline("南京市科学技术局", date)); ws.merge_cells("A2:L2")
        for a, b, lab in [(1, 3, "基本信息"), (4, 5, "完成情况"), (6, 12, "推进情况")]:
            ws.cell(3, a, lab); ws.merge_cells(start_row=3, start_column=a, end_row=3, end_column=b)
        for j, c in enumerate(cols, 1):
            ws.cell(4, j, LABEL[c]).alignment = Alignment(wrap_text=True)
        for i, t in enumerate(ts, 5):
            rw = row(u, t); rw["pct"] = f"{rw['pct']}%"
            if not current:
                rw["status"], rw["pct"], rw["prog"] = "推进中", "20%", "（7月报）" + rw["prog"]
            for j, c in enumerate(cols, 1):
                ws.cell(i, j, rw[c] or None)
            if current:
                truth(u, t)
    ws.freeze_panes = "C5"; wb.active = 1
    save_wb(wb, "市科技局2025年三季度进展表.xlsx")
    tfile("市科技局2025年三季度进展表.xlsx", u, time="2025-10-08T17:05:00")
    # lock file left by Excel
    (OUT / "~$市科技局2025年三季度进展表.xlsx").write_bytes(b"\x06wangmin" + b"\x00" * 150)
    tfile("~$市科技局2025年三季度进展表.xlsx", u, outcome="skipped", time="2025-10-08T17:06:00")

    # 2 市市场监管局: 0% number format on fractions, data validation list, a free-typed status
    u = "市市场监管局"; ts = unit_tasks(u)
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = "进展情况"
    rows = [row(u, t) for t in ts]
    for rw in rows:
        rw["pct"] = rw["pct"] / 100
    bad = ts.index(80); rows[bad]["status"] = "已完结"
    h = xl_basic(ws, "南京市市场监督管理局", STD, rows, date="2025年10月9日")
    dv = DataValidation(type="list", formula1='"未启动,推进中,已完成,常态化推进"', allow_blank=True,
                        showErrorMessage=False)
    ws.add_data_validation(dv); dv.add(f"D{h+1}:D{h+len(rows)}")
    for i in range(len(rows)):
        ws.cell(h + 1 + i, 5).number_format = "0%"
    for t in ts:
        if t != 80:
            truth(u, t)
    save_wb(wb, "市场监管局-三季度进展.xlsx")
    tfile("市场监管局-三季度进展.xlsx", u, task_codes=[("invalid-status", 80)])

    # 3 市金融局: xlwt .xls, unusual column order, extra columns, percent XF 0% on fractions,
    #   joint task 2 reported 已完成 while the primary lead (市场监管局) says 推进中
    u = "市金融局"; ts = unit_tasks(u)
    book = xlwt.Workbook(encoding="utf-8"); sh = book.add_sheet("Sheet1")
    pctst = xlwt.easyxf(num_format_str="0%"); datest = xlwt.easyxf(num_format_str="yyyy/m/d")
    bold = xlwt.easyxf("font: bold on; align: wrap on")
    cols = ["run", "status", "pct", "text", "责任处室", "联系人", "完成时限", "prog", "prob", "next", "lead"]
    sh.write_merge(0, 0, 0, len(cols) - 1, TITLE)
    sh.write_merge(1, 1, 0, len(cols) - 1, unitline("南京市地方金融监督管理局", "2025年10月9日"))
    for j, c in enumerate(cols):
        sh.write(2, j, "序号" if c == "run" else LABEL.get(c, c), bold)
    import datetime as dt
    for i, t in enumerate(ts, 3):
        rw = row(u, t); rw["run"] = i - 2
        rw["text"] = rw["text"].split("，")[0].split("。")[0]  # clerks shorten the task text
        if t == 2:
            rw["status"], rw["pct"] = "已完成", 100
        for j, c in enumerate(cols):
            if c == "pct":
                sh.write(i, j, rw["pct"] / 100, pctst)
            elif c == "责任处室":
                sh.write(i, j, rnd.choice(["银行处", "保险处", "综合处"]))
            elif c == "联系人":
                sh.write(i, j, rnd.choice(["李强", "张蕾", "陈晨"]))
            elif c == "完成时限":
                sh.write(i, j, dt.date(2025, 12, 31), datest)
            else:
                sh.write(i, j, rw[c])
        truth(u, t, *(("已完成", 100) if t == 2 else (None, None)))
    book.save(str(OUT / "南京市地方金融监督管理局三季度进展.xls"))
    tfile("南京市地方金融监督管理局三季度进展.xls", u, task_codes=[("status-conflict", 2)])

    # 4 市工信局: .ods via LibreOffice from an xlsx with 0% fractions and formula percents
    u = "市工信局"; ts = unit_tasks(u)
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = "进展情况"
    # last quarter's table left on top, this quarter's table appended below it
    old = [dict(row(u, t), status="推进中", pct=0.1, prog="（二季度）" + prog(u, t)) for t in ts]
    h0 = xl_basic(ws, "南京市工业和信息化局", STD, old, date="2025年7月9日",
                  title="南京市服务业扩大开放综合试点任务推进情况表（2025年第二季度）")
    for i in range(len(ts)):
        ws.cell(h0 + 1 + i, 5).number_format = "0%"
    rows = [row(u, t) for t in ts]
    h = xl_basic(ws, "南京市工业和信息化局", STD, rows, start=h0 + len(ts) + 3)
    for i, t in enumerate(ts):
        p = BASE[t][1]
        ws.cell(h + 1 + i, 5).value = f"={p}/100" if i % 2 else p / 100
        ws.cell(h + 1 + i, 5).number_format = "0%"
        truth(u, t)
    wb.save(SRC / "市工信局三季度进展.xlsx"); TO_ODS.append(("市工信局三季度进展.xlsx", "市工信局三季度进展.ods"))
    tfile("市工信局三季度进展.ods", u)

    # 5 市发改委: sheets 填报说明 / 二季度 (last quarter, other values) / 三季度 (this quarter)
    u = "市发改委"; ts = unit_tasks(u)
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = "填报说明"
    ws["A1"] = "填报说明"; ws["A2"] = "1. 完成状态从下拉列表选择：未启动、推进中、已完成、常态化推进。"
    ws["A3"] = "2. 完成进度填0-100的整数。"; ws["A4"] = "3. 请于10月10日前报送。"
    ws2 = wb.create_sheet("二季度")
    old = []
    for t in ts:
        rw = row(u, t); rw["status"], rw["pct"] = "推进中", max(0, BASE[t][1] - 20); old.append(rw)
    xl_basic(ws2, u, STD, old, title="南京市服务业扩大开放综合试点任务推进情况表（2025年第二季度）",
             date="2025年7月8日")
    ws3 = wb.create_sheet("三季度")
    xl_basic(ws3, u, STD, [row(u, t) for t in ts])
    for t in ts:
        truth(u, t)
    save_wb(wb, "发改委试点任务进展表（2025年三季度）.xlsx")
    tfile("发改委试点任务进展表（2025年三季度）.xlsx", u)

    # 6 江北新区: WPS .et (BIFF8 renamed), section heading rows, blank rows, 合计 and signature rows
    u = "江北新区"; ts = unit_tasks(u)
    book = xlwt.Workbook(encoding="utf-8"); sh = book.add_sheet("进展情况")
    cols = ["id", "text", "lead", "status", "pct", "prog", "prob", "next"]
    sh.write_merge(0, 0, 0, len(cols) - 1, TITLE)
    sh.write(1, 0, unitline("南京江北新区管理委员会", "2025年10月10日"))
    for j, c in enumerate(cols):
        sh.write(2, j, LABEL[c])
    r = 3; cur = None
    parts = {7: "一、科技创新", 36: "二、数字经济", 45: "二、数字经济", 64: "四、营商环境"}
    for t in ts:
        if parts.get(t, cur) != cur:
            cur = parts[t]; sh.write(r, 0, cur); r += 1
        rw = row(u, t)
        rw["status"] = {36: "已启动", 65: "未完成"}.get(t, rw["status"])
        for j, c in enumerate(cols):
            sh.write(r, j, rw[c])
        if t not in (36, 65):
            truth(u, t)
        r += 1
        if t == 37:
            r += 1  # blank row
    sh.write(r, 0, "合计"); sh.write(r, 4, sum(BASE[t][1] for t in ts) / len(ts)); r += 2
    sh.write(r, 0, "审核人：赵刚"); sh.write(r, 3, "填报人：孙丽")
    book.save(str(OUT / "江北新区三季度进展.et"))
    tfile("江北新区三季度进展.et", u, time="2025-10-10T11:20:00",
          task_codes=[("invalid-status", 36), ("invalid-status", 65)])

    # 7 市人社局: resubmission（修改） with a later 填报日期 and file time (agree)
    u = "市人社局"; ts = unit_tasks(u)
    for name, date, time, first in [("市人社局进展表.xlsx", "2025年10月8日", "2025-10-08T10:00:00", True),
                                    ("市人社局进展表（修改）.xlsx", "2025年10月9日", "2025-10-09T15:00:00", False)]:
        wb = openpyxl.Workbook(); ws = wb.active; ws.title = "进展情况"
        rows = [row(u, t) for t in ts]
        if first:
            rows[0]["status"], rows[0]["pct"] = "未启动", 0
        xl_basic(ws, u, STD, rows, date=date if first else "")
        if not first:  # 填报日期 typed into its own cell, stored as a date serial
            ws.unmerge_cells("A2:L2")
            ws["A2"] = "填报单位：市人社局"; ws["D2"] = "填报人：刘洋"; ws["F2"] = "填报日期："
            ws["G2"] = 45939; ws["G2"].number_format = "yyyy\"年\"m\"月\"d\"日\""
            for k in range(len(rows)):  # literal % sign written with a backslash: no scaling
                ws.cell(4 + k, 5).number_format = "0\\%"
        save_wb(wb, name)
        tfile(name, u, outcome="superseded" if first else "used", codes=["superseded"] if first else [], time=time)
    for t in ts:
        truth(u, t)

    # 8 市建委: id written 12（牵头）; v2 / v3 resubmission, v3 with a year typo in 填报日期
    u = "市建委"; ts = unit_tasks(u)
    wb = openpyxl.Workbook(); ws = wb.active
    for name, time, v3 in [("市建委三季度进展v2.xlsx", "2025-10-09T10:10:00", False),
                           ("市建委三季度进展v3.xlsx", "2025-10-09T15:40:00", True)]:
        wb = openpyxl.Workbook(); ws = wb.active
        rows = [row(u, t) for t in ts]; rows[0]["id"] = "12（牵头）"
        if not v3:
            rows[0]["status"], rows[0]["pct"] = "推进中", 80
        # v3 carries a year typo in 填报日期 (2024 for 2025): title, file time and values are 2025Q3
        xl_basic(ws, "南京市城乡建设委员会", STD, rows, date="2024年10月9日" if v3 else "2025年10月9日")
        save_wb(wb, name)
        tfile(name, u, outcome="used" if v3 else "superseded", codes=[] if v3 else ["superseded"], time=time)
    for t in ts:
        truth(u, t)

    # 9 人行南京营管部: .xls via LibreOffice from xlsx with 0% fractions; a supporting unit's row (26)
    u = "人行南京营管部"; ts = unit_tasks(u)
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = "进展情况"
    rows = [row(u, t) for t in ts]
    sup = row(u, 26); sup["prog"] = "配合市金融局做好相关工作。"; rows.insert(5, sup)
    h = xl_basic(ws, "中国人民银行南京分行营业管理部", STD, rows)
    for i, rw in enumerate(rows):
        if i % 2 == 0:
            ws.cell(h + 1 + i, 5).value = rw["pct"] / 100; ws.cell(h + 1 + i, 5).number_format = "0%"
    for t in ts:
        truth(u, t)
    wb.save(SRC / "人行南京营业管理部2025年第三季度进展表.xlsx")
    TO_XLS.append(("人行南京营业管理部2025年第三季度进展表.xlsx", "人行南京营业管理部2025年第三季度进展表.xls"))
    tfile("人行南京营业管理部2025年第三季度进展表.xls", u, task_codes=[("not-lead-unit", 26)])

    # 10 市文旅局: ６０％ full-width text, synonyms, a typo, full-width spaces
    u = "市文旅局"; ts = unit_tasks(u)
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = "进展情况"
    rows = [row(u, t) for t in ts]
    fw = str.maketrans("0123456789%", "０１２３４５６７８９％")
    for k, rw in enumerate(rows):
        rw["pct"] = f"{rw['pct']}%".translate(fw) if k % 2 == 0 else f"{rw['pct']}％"
        rw["status"] = {"推进中": "正在推进", "已完成": "已落实", "未启动": "未开始", "常态化推进": "持续推进"}[rw["status"]]
        if k == 1:
            rw["status"] = "\u3000" + rw["status"] + " "
    rows[ts.index(71)]["status"] = "已完城"
    rows[ts.index(69)]["status"] = "基本完成"
    xl_basic(ws, "南京市文化和旅游局", STD, rows)
    for t in ts:
        if t not in (69, 71):
            truth(u, t)
    save_wb(wb, "市文旅局三季度进展情况.xlsx")
    tfile("市文旅局三季度进展情况.xlsx", u, task_codes=[("invalid-status", 71), ("invalid-status", 69)])
    # the same file also dropped at the inbox root by mistake
    shutil.copy(OUT / "市文旅局三季度进展情况.xlsx", HERE / "round" / "市文旅局三季度进展情况(1).xlsx")
    FILES["市文旅局三季度进展情况(1).xlsx"] = {"unit": u, "kind": "spreadsheet", "outcome": "skipped",
                                         "codes": ["misplaced-file"], "task_codes": []}
    TIMES["市文旅局三季度进展情况(1).xlsx"] = "2025-10-09T16:40:00"

    # 11/12 task 16: 临空 (primary) 推进中 70, 禄口机场海关 已完成 100 (xlwt .xls)
    u = "国家（南京）临空经济示范区"
    wb = openpyxl.Workbook(); ws = wb.active
    ws["A1"] = TITLE; ws.merge_cells("A1:J1"); ws["A2"] = unitline("南京临空经济示范区"); ws.merge_cells("A2:J2")
    for j, lab in [(1, "序号"), (2, "试点任务"), (3, "牵头单位"), (8, "完成进度（%）"), (9, "本期工作进展"), (10, "存在问题")]:
        ws.cell(3, j, lab); ws.merge_cells(start_row=3, start_column=j, end_row=4, end_column=j)
    ws.cell(3, 4, "完成状态（在对应栏打√）"); ws.merge_cells("D3:G3")
    for j, lab in zip(range(4, 8), ["未启动", "推进中", "已完成", "常态化推进"]):
        ws.cell(4, j, lab)
    rw = row(u, 16)
    for j, v in [(1, 16), (2, rw["text"]), (3, rw["lead"]), (5, "√"), (8, rw["pct"]), (9, rw["prog"]), (10, rw["prob"])]:
        ws.cell(5, j, v)
    truth(u, 16)
    save_wb(wb, "临空经济示范区三季度进展表.xlsx"); tfile("临空经济示范区三季度进展表.xlsx", u)
    u = "南京禄口机场海关"
    book = xlwt.Workbook(encoding="utf-8"); sh = book.add_sheet("Sheet1")
    sh.write(0, 0, TITLE); sh.write(1, 0, unitline("中华人民共和国南京禄口机场海关"))
    cols = ["id", "text", "status", "pct", "prog"]
    for j, c in enumerate(cols):
        sh.write(2, j, LABEL[c])
    rw = row(u, 16); rw["status"], rw["pct"] = "已完成", 100
    for j, c in enumerate(cols):
        sh.write(3, j, rw[c])
    truth(u, 16, "已完成", 100)
    book.save(str(OUT / "南京禄口机场海关三季度进展.xls"))
    tfile("南京禄口机场海关三季度进展.xls", u, task_codes=[("status-conflict", 16)])

    # 13 市教育局: Word report only, with a progress table
    u = "市教育局"; ts = unit_tasks(u)
    d = docx.Document()
    d.add_heading("南京市教育局关于2025年第三季度服务业扩大开放综合试点任务推进情况的报告", 1)
    d.add_paragraph("市服务业扩大开放综合试点工作领导小组办公室：")
    d.add_paragraph("现将我局牵头任务三季度推进情况报告如下。")
    d.add_paragraph("一、任务推进情况")
    for t in ts:
        d.add_paragraph(f"任务{t}：{prog(u, t)}")
    d.add_paragraph("二、存在问题")
    d.add_paragraph("外籍人员子女入学政策衔接仍需加强。")
    d.add_paragraph("三、下步计划")
    d.add_paragraph("加快推进国际合作项目落地。")
    d.add_paragraph("附表：任务推进情况表")
    tb = d.add_table(rows=1, cols=5); tb.style = "Table Grid"
    for j, c in enumerate(["序号", "试点任务", "完成状态", "完成进度（%）", "工作进展"]):
        tb.rows[0].cells[j].text = c
    for t in ts:
        rw = row(u, t); cells = tb.add_row().cells
        for j, v in enumerate([t, rw["text"], rw["status"], rw["pct"], rw["prog"]]):
            cells[j].text = str(v)
        truth(u, t)
    a = tb.rows[1 + ts.index(18)].cells[2]; b = tb.rows[1 + ts.index(19)].cells[2]
    b.text = ""; m = a.merge(b); m.text = "推进中"
    d.add_paragraph("南京市教育局"); d.add_paragraph("2025年10月9日")
    name = "市教育局关于2025年第三季度服务业扩大开放综合试点任务推进情况的报告.docx"
    d.save(OUT / name); tfile(name, u, kind="report")

    # 14 市医保局: a hidden column keeping last quarter's status, dates as serials and as text
    u = "市医保局"; ts = unit_tasks(u)
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = "进展情况"
    cols = ["id", "text", "lead", "上季度状态", "status", "pct", "完成时限", "prog", "prob", "next"]
    rows = [row(u, t) for t in ts]
    for rw in rows:
        rw["上季度状态"] = "未启动"; rw["完成时限"] = 46022  # 2025-12-31 as a serial
    h = xl_basic(ws, u, cols, rows, date="2025.10.9", labels={"上季度状态": "完成状态"})
    ws.column_dimensions["D"].hidden = True
    for i in range(len(rows)):
        ws.cell(h + 1 + i, 7).number_format = "yyyy/m/d"
    ws.cell(h + 1, 7).value = "2025年12月31日"
    for t in ts:
        truth(u, t)
    save_wb(wb, "市医保局进展表.xlsx"); tfile("市医保局进展表.xlsx", u)

    # 15 市生态环境局: percent over 100
    u = "市生态环境局"
    wb = openpyxl.Workbook(); ws = wb.active
    rw = row(u, 23); rw["pct"] = 120
    xl_basic(ws, "南京市生态环境局", STD, [rw]); truth(u, 23, percent="any")
    save_wb(wb, "市生态环境局三季度进展.xlsx")
    tfile("市生态环境局三季度进展.xlsx", u, task_codes=[("invalid-percent", 23)])

    # 16 市卫健委: last quarter's title copied, current 填报日期; frozen panes, autofilter, validation
    u = "市卫健委"; ts = unit_tasks(u)
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = "三季度"
    rows = [row(u, t) for t in ts]
    h = xl_basic(ws, u, STD, rows, title="南京市服务业扩大开放综合试点任务推进情况表（2025年第二季度）",
                 date="2025年10月9日")
    ws.freeze_panes = f"C{h+1}"; ws.auto_filter.ref = f"A{h}:L{h+len(rows)}"
    dv = DataValidation(type="list", formula1='"未启动,推进中,已完成,常态化推进"'); ws.add_data_validation(dv)
    dv.add(f"D{h+1}:D{h+len(rows)}")
    for t in ts:
        truth(u, t)
    save_wb(wb, "卫健委三季度进展.xlsx"); tfile("卫健委三季度进展.xlsx", u, codes=["stale-round"])

    # 16b 市民政局: sends last quarter's file again by mistake (title, 填报日期 and values of 2025Q2)
    u = "市民政局"
    wb = openpyxl.Workbook(); ws = wb.active
    xl_basic(ws, "南京市民政局", STD, [dict(row(u, 33), status="推进中", pct=10)],
             title="南京市服务业扩大开放综合试点任务推进情况表（2025年第二季度）", date="2025年7月8日")
    save_wb(wb, "市民政局进展表.xlsx")
    tfile("市民政局进展表.xlsx", u, outcome="rejected", codes=["stale-round"], time="2025-10-09T11:00:00")

    # 17 市商务局: .xls via LibreOffice with vertically merged status/percent cells, a note row;
    #    plus a 初稿 with a later file time
    u = "市商务局"; ts = unit_tasks(u)
    for name, draft in [("市商务局三季度推进情况.xlsx", False), ("市商务局三季度推进情况（初稿）.xlsx", True)]:
        wb = openpyxl.Workbook(); ws = wb.active; ws.title = "进展情况"
        rows = [row(u, t) for t in ts]
        if draft:
            for rw in rows:
                rw["status"], rw["pct"] = "推进中", 30
        h = xl_basic(ws, "南京市商务局", STD, rows)
        if not draft:
            a = h + 1 + ts.index(84)
            for col in (4, 5):
                for k in (1, 2):
                    ws.cell(a + k, col).value = None
                ws.merge_cells(start_row=a, start_column=col, end_row=a + 2, end_column=col)
            ws.cell(h + len(rows) + 1, 1, "注：以上数据截至2025年9月30日，项目落地情况以商务部门统计为准。")
            wb.save(SRC / name); TO_XLS.append((name, "市商务局三季度推进情况.xls"))
        else:
            save_wb(wb, name)
    for t in ts:
        truth(u, t)
    tfile("市商务局三季度推进情况.xls", u, time="2025-10-09T09:00:00")
    tfile("市商务局三季度推进情况（初稿）.xlsx", u, outcome="superseded", codes=["superseded"],
          time="2025-10-09T18:00:00")

    # 18 通管办: per-unit subfolder, file name without the unit, 上季度/本季度 period groups
    u = "南京通管办（联系省通管局）"; ts = unit_tasks(u)
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = "Sheet1"
    ws["A1"] = TITLE; ws.merge_cells("A1:I1"); ws["A2"] = unitline("南京通管办"); ws.merge_cells("A2:I2")
    for j, lab in enumerate(["序号", "试点任务", "牵头单位"], 1):
        ws.cell(3, j, lab); ws.merge_cells(start_row=3, start_column=j, end_row=4, end_column=j)
    ws.cell(3, 4, "上季度"); ws.merge_cells("D3:E3"); ws.cell(3, 6, "本季度"); ws.merge_cells("F3:G3")
    for j, lab in zip(range(4, 8), ["完成状态", "完成进度（%）"] * 2):
        ws.cell(4, j, lab)
    ws.cell(3, 8, "本期工作进展"); ws.merge_cells("H3:H4"); ws.cell(3, 9, "存在问题"); ws.merge_cells("I3:I4")
    for i, t in enumerate(ts, 5):
        rw = row(u, t)
        for j, v in enumerate([t, rw["text"], rw["lead"], "推进中", 20, rw["status"], rw["pct"], rw["prog"], rw["prob"]], 1):
            ws.cell(i, j, v)
        truth(u, t)
    save_wb(wb, "通管办/进展表.xlsx"); tfile("通管办/进展表.xlsx", u)

    # 19 市大数据局 (also reports for 市大数据集团's task 100): 第43项 / 任务100, negative percent
    u = "市大数据局"; ts = unit_tasks(u)
    wb = openpyxl.Workbook(); ws = wb.active
    rows = [row(u, t) for t in ts]; rows[0]["id"] = "第43项"; rows[1]["id"] = "任务100"; rows[1]["pct"] = -10
    xl_basic(ws, "南京市大数据管理局", STD, rows)
    truth(u, 43); truth(u, 100, percent="any")
    save_wb(wb, "市大数据局三季度进展.xlsx")
    tfile("市大数据局三季度进展.xlsx", u, task_codes=[("invalid-percent", 100)])

    # 20 市委宣传部: 已完成 with 60%
    u = "市委宣传部"
    wb = openpyxl.Workbook(); ws = wb.active
    xl_basic(ws, "中共南京市委宣传部", STD, [row(u, 48)], date="2025年10月9日"); truth(u, 48)
    save_wb(wb, "市委宣传部三季度进展.xlsx")
    tfile("市委宣传部三季度进展.xlsx", u, task_codes=[("status-percent-mismatch", 48)], time="2025-10-09T11:00:00")
    wb = openpyxl.Workbook(); ws = wb.active
    xl_basic(ws, "中共南京市委宣传部", STD, [dict(row(u, 48), status="推进中", pct=40)], date="2025年9月26日")
    save_wb(wb, "市委宣传部三季度进展（最新）.xlsx")
    tfile("市委宣传部三季度进展（最新）.xlsx", u, outcome="superseded", codes=["superseded"], time="2025-10-09T11:05:00")

    # 21 市司法局: ids typed "49." and "50.", synonym headers
    u = "市司法局"; ts = unit_tasks(u)
    wb = openpyxl.Workbook(); ws = wb.active
    rows = [row(u, t) for t in ts]
    for rw in rows:
        rw["id"] = f"{rw['id']}."
    old = [dict(row(u, t), id=f"{t}.", status="未启动", pct=0, prog="（二季度）尚未启动。") for t in ts]
    rows = old + rows
    h = xl_basic(ws, "南京市司法局", ["id", "text", "status", "pct", "prog", "prob", "next"], rows,
             labels={"id": "编号", "text": "任务内容", "status": "推进状态", "pct": "完成率", "prog": "推进情况",
                     "prob": "困难和问题", "next": "下一步工作"})
    for k in range(len(old)):
        ws.row_dimensions[h + 1 + k].hidden = True
    for t in ts:
        truth(u, t)
    save_wb(wb, "市司法局三季度进展.xlsx"); tfile("市司法局三季度进展.xlsx", u)

    # 22 市规划和自然资源局: xlwt .xls converted by LibreOffice to .xlsx
    u = "市规划和自然资源局"; ts = unit_tasks(u)
    book = xlwt.Workbook(encoding="utf-8"); sh = book.add_sheet("进展情况")
    sh.write(0, 0, TITLE); sh.write(1, 0, unitline("南京市规划和自然资源局"))
    for j, c in enumerate(STD):
        sh.write(2, j, LABEL[c])
    for i, t in enumerate(ts, 3):
        rw = row(u, t)
        if rw["status"] == "未启动":
            rw["pct"] = "/"
        if t == 60:  # tick-box text copied from a Word form
            rw["status"] = "□未启动 ☑推进中 □已完成 □常态化推进"
        for j, c in enumerate(STD):
            sh.write(i, j, rw[c])
        truth(u, t, percent="any" if rw["pct"] == "/" else None)
    book.save(str(SRC / "市规划和自然资源局三季度进展.xls"))
    TO_XLSX.append(("市规划和自然资源局三季度进展.xls", "市规划和自然资源局三季度进展.xlsx"))
    tfile("市规划和自然资源局三季度进展.xlsx", u)

    # 23 市委组织部（市委人才办）: file says 人才办, content says 中共南京市委组织部
    u = "市委组织部（市委人才办）"
    wb = openpyxl.Workbook(); ws = wb.active
    ws["A1"] = TITLE; ws.merge_cells("A1:H1"); ws["A2"] = unitline("中共南京市委组织部"); ws.merge_cells("A2:H2")
    for j, lab in [(1, "序号"), (2, "试点任务"), (7, "本期工作进展"), (8, "下步计划")]:
        ws.cell(3, j, lab); ws.merge_cells(start_row=3, start_column=j, end_row=4, end_column=j)
    ws.cell(3, 3, "2025年第三季度"); ws.merge_cells("C3:D3"); ws.cell(3, 5, "2025年第二季度"); ws.merge_cells("E3:F3")
    for j, lab in zip(range(3, 7), ["完成状态", "完成进度（%）"] * 2):
        ws.cell(4, j, lab)
    rw = row(u, 62)
    for j, v in enumerate([62, rw["text"], rw["status"], rw["pct"], "未启动", 0, rw["prog"], rw["next"]], 1):
        ws.cell(5, j, v)
    truth(u, 62)
    save_wb(wb, "市委人才办三季度进展.xlsx"); tfile("市委人才办三季度进展.xlsx", u)

    # 24 市财政局: 最终版 (填报日期 10-09) vs plain (填报日期 10-08, later file time); fractions in General cells
    u = "市财政局"; ts = unit_tasks(u)
    for name, date, time, final in [("市财政局三季度进展.xlsx", "2025年10月8日", "2025-10-10T08:50:00", False),
                                    ("市财政局三季度进展（最终版）.xlsx", "2025年10月9日", "2025-10-09T17:30:00", True)]:
        wb = openpyxl.Workbook(); ws = wb.active
        rows = [row(u, t) for t in ts]
        for rw in rows:
            rw["pct"] = rw["pct"] / 100
        rows[0]["prog"] = "2025年第二季度完成前期调研，2025年第三季度起进入实施阶段，" + rows[0]["prog"]
        rows[0]["next"] = "2025年第四季度完成验收。"
        if not final:
            rows[0]["status"], rows[0]["pct"] = "未启动", 0
        xl_basic(ws, "南京市财政局", STD, rows, date=date)
        save_wb(wb, name)
        tfile(name, u, outcome="used" if final else "superseded", codes=[] if final else ["superseded"], time=time)
    for t in ts:
        truth(u, t)

    # 25/26 task 66/67: 雨花台区 (xlsx) and 软件谷 (xlwt .xls), consistent
    u = "雨花台区"
    wb = openpyxl.Workbook(); ws = wb.active
    h = xl_basic(ws, "南京市雨花台区人民政府", STD, [row(u, t) for t in (66, 67)])
    for k in (1, 2):
        ws.cell(h + k, 5).number_format = '0"%"'
    truth(u, 66); truth(u, 67)
    save_wb(wb, "雨花台区三季度进展.xlsx"); tfile("雨花台区三季度进展.xlsx", u)
    u = "软件谷"
    book = xlwt.Workbook(encoding="utf-8"); sh = book.add_sheet("Sheet1")
    sh.write(0, 0, TITLE); sh.write(1, 0, unitline("雨花台区软件谷管委会", "2025年10月10日"))
    for j, c in enumerate(STD):
        sh.write(2, j, LABEL[c])
    for i, (t, p) in enumerate([(66, 50), (67, 40)], 3):
        rw = dict(row(u, t), pct=p)
        for j, c in enumerate(STD):
            sh.write(i, j, rw[c])
        truth(u, t, percent=p)
    book.save(str(OUT / "雨花台区软件谷三季度进展.xls")); tfile("雨花台区软件谷三季度进展.xls", u, time="2025-10-10T09:30:00")

    # 27 市政务办: header after a note row and a blank row; task text pasted into 序号 for task 74
    u = "市政务办"; ts = unit_tasks(u)
    wb = openpyxl.Workbook(); ws = wb.active
    xl_basic(ws, "南京市政务服务管理办公室", STD,
             [dict(row(u, t), id=(TASKS[t][0] if t == 74 else t)) for t in ts])
    ws.insert_rows(3, 2)  # a note row and a blank row between the unit line and the header
    ws.cell(5 + 1 + ts.index(77), 5).value = "=80"  # written by a script: no cached value
    ws["A3"] = "说明：完成状态请从“未启动、推进中、已完成、常态化推进”中选择，完成进度填写0-100。"
    for t in ts:
        truth(u, t, percent="any" if t == 77 else None)
    save_wb(wb, "市政务办三季度进展.xlsx")
    tfile("市政务办三季度进展.xlsx", u, task_codes=[("uncalculated-formula", 77)])

    # 28 市税务局: .et (an OOXML package), status 已办结 on joint task 72
    #    (this .et is an OOXML package: newer WPS builds save .et that way)
    #    and a two-row header: 序号/试点任务/本期工作进展 merged over both rows, 完成情况 over 状态/比例
    u = "市税务局"
    wb = openpyxl.Workbook(); ws = wb.active
    ws["A1"] = TITLE; ws.merge_cells("A1:F1"); ws["A2"] = unitline("国家税务总局南京市税务局"); ws.merge_cells("A2:F2")
    for j, lab in [(1, "序号"), (2, "试点任务"), (3, "牵头单位"), (6, "本期工作进展")]:
        ws.cell(3, j, lab); ws.merge_cells(start_row=3, start_column=j, end_row=4, end_column=j)
    ws.cell(3, 4, "完成情况"); ws.merge_cells("D3:E3"); ws["D4"] = "状态"; ws["E4"] = "比例"
    rw = row(u, 72)
    for j, v in enumerate([72, rw["text"], rw["lead"], "已办结", rw["pct"], rw["prog"]], 1):
        ws.cell(5, j, v)
    truth(u, 72)
    wb.save(OUT / "市税务局三季度进展.et"); tfile("市税务局三季度进展.et", u)

    # 28b 市统计局: an ".xls" exported by the OA system, really an HTML table (Excel opens it)
    u = "市统计局"; rw = row(u, 51)
    cells = "".join(f"<td>{rw[c]}</td>" for c in STD)
    html = ('<html xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta charset="utf-8"></head><body>'
            f'<table border="1"><tr><td colspan="12">{TITLE}</td></tr>'
            f'<tr><td colspan="12">{unitline("南京市统计局")}</td></tr>'
            "<tr>" + "".join(f"<td>{LABEL[c]}</td>" for c in STD) + "</tr>"
            f"<tr>{cells}</tr></table></body></html>")
    (OUT / "市统计局三季度进展（系统导出）.xls").write_text(html, encoding="utf-8")
    truth(u, 51)
    tfile("市统计局三季度进展（系统导出）.xls", u)

    # 29 金陵海关: running 序号 beside 任务编号
    u = "金陵海关"; ts = unit_tasks(u)
    wb = openpyxl.Workbook(); ws = wb.active
    rows = [dict(row(u, t), run=k, id=t) for k, t in enumerate(ts, 1)]
    rows[1]["status"] = "已完成（常态化推进）"
    xl_basic(ws, "中华人民共和国金陵海关", ["run", "id", "text", "lead", "status", "pct", "prog"], rows,
             labels={"run": "序号", "id": "任务编号"})
    truth(u, 82)
    save_wb(wb, "金陵海关三季度进展.xlsx")
    tfile("金陵海关三季度进展.xlsx", u, task_codes=[("invalid-status", 92)])

    # 30 市公安局: spreadsheet + Word report whose table disagrees on task 89; the workbook keeps
    #    last quarter's sheet named 二季度 before this quarter's 三季度 (the period only in sheet names)
    u = "市公安局"; ts = unit_tasks(u)
    wb = openpyxl.Workbook(); ws0 = wb.active; ws0.title = "二季度"
    cols = ["id", "text", "lead", "status", "prog", "pct", "prob", "next"]
    xl_basic(ws0, "南京市公安局", cols, [dict(row(u, t), status="推进中", pct=20) for t in ts],
             title="南京市服务业扩大开放综合试点任务推进情况表", date="2025年7月7日",
             labels={"prog": "工作进度", "pct": "完成比例"})
    ws = wb.create_sheet("三季度"); wb.active = 1
    xl_basic(ws, "南京市公安局", cols,
             [row(u, t) for t in ts], labels={"prog": "工作进度", "pct": "完成比例"},
             title="南京市服务业扩大开放综合试点任务推进情况表")
    for t in ts:
        truth(u, t)
    save_wb(wb, "市公安局三季度进展情况.xlsx"); tfile("市公安局三季度进展情况.xlsx", u)
    d = docx.Document()
    d.add_heading("南京市公安局关于2025年第三季度服务业扩大开放综合试点任务推进情况的报告", 1)
    d.add_paragraph("一、总体推进情况")
    for t in ts:
        d.add_paragraph(f"【任务{t}】{prog(u, t)}")
    d.add_paragraph("二、典型案例"); d.add_paragraph("外籍人才出入境便利化服务案例"); d.add_paragraph("优化外籍人才签证办理流程。")
    tb = d.add_table(rows=1, cols=4); tb.style = "Table Grid"
    for j, c in enumerate(["序号", "试点任务", "完成状态", "完成进度（%）"]):
        tb.rows[0].cells[j].text = c
    for t in ts:
        s, p = BASE[t]
        if t == 89:
            s, p = "已完成", 100
        cells = tb.add_row().cells
        for j, v in enumerate([t, TASKS[t][0], s, p]):
            cells[j].text = str(v)
    name = "市公安局关于2025年第三季度服务业扩大开放综合试点任务推进情况的报告.docx"
    d.save(OUT / name); tfile(name, u, kind="report", task_codes=[("status-conflict", 89)])

    # 31 市外办: unusual order, "60%" text, a hidden sheet with old data, late
    u = "市外办"; ts = unit_tasks(u)
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = "进展情况"
    rows = [row(u, t) for t in ts]
    for rw in rows:
        rw["pct"] = f"{rw['pct']}%"
    rows[0].update(id="89、90", text=TASKS[89][0] + "；" + TASKS[90][0], prog="两项任务合并推进：" + rows[0]["prog"])
    del rows[1]  # tasks 89 and 90 reported in one row
    xl_basic(ws, "南京市人民政府外事办公室", ["text", "prog", "status", "pct", "id", "lead", "next"], rows,
             date="2025年10月13日")
    hs = wb.create_sheet("上季度"); hs.sheet_state = "hidden"
    xl_basic(hs, u, STD, [dict(row(u, t), status="未启动", pct=0) for t in ts],
             title="南京市服务业扩大开放综合试点任务推进情况表（2025年第二季度）", date="2025年7月9日")
    for t in ts:
        truth(u, t)
    save_wb(wb, "市外办三季度进展.xlsx")
    tfile("市外办三季度进展.xlsx", u, codes=["hidden-sheet", "late-submission"], time="2025-10-13T10:00:00")

    # 31b a file with no unit anywhere: 填报单位 left blank, no unit in the name, every row's
    #     牵头单位 reads "市公安局、市外办" (tasks 89-91 are joint) -> nobody can tell who sent it
    wb = openpyxl.Workbook(); ws = wb.active
    xl_basic(ws, "", STD, [dict(row("", t), status="已完成", pct=100) for t in (89, 90, 91)], date="2025年10月10日")
    save_wb(wb, "三季度任务进展表.xlsx")
    tfile("三季度任务进展表.xlsx", None, outcome="rejected", codes=["unit-unidentified"], time="2025-10-10T09:00:00")

    # 32 南京边检站: per-unit subfolder, .xls by LibreOffice, content names it 南京禄口机场边检站
    u = "南京边检站"
    wb = openpyxl.Workbook(); ws = wb.active
    xl_basic(ws, "南京禄口机场边检站", STD, [row(u, 92)]); truth(u, 92)
    wb.save(SRC / "三季度进展.xlsx"); TO_XLS.append(("三季度进展.xlsx", "南京边检站/三季度进展.xls"))
    tfile("南京边检站/三季度进展.xls", u, codes=["unknown-unit"])

    # 33 市委网信办: formulas (status from percent) cached by a LibreOffice re-save
    u = "市委网信办"; ts = unit_tasks(u)
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = "进展情况"
    rows = [row(u, t) for t in ts]
    h = xl_basic(ws, "中共南京市委网络安全和信息化委员会办公室", STD, rows)
    for i, t in enumerate(ts):
        s, p = BASE[t]
        if s in ("推进中", "已完成"):
            ws.cell(h + 1 + i, 4).value = f'=IF(E{h+1+i}>=100,"已完成","推进中")'
        truth(u, t)
    wb.save(SRC / "市委网信办三季度进展.xlsx")
    TO_XLSX.append(("市委网信办三季度进展.xlsx", "市委网信办三季度进展.xlsx"))
    tfile("市委网信办三季度进展.xlsx", u)

    # ---- LibreOffice conversions, one call per target format ----
    for fmt, lst in [("xls", TO_XLS), ("ods", TO_ODS), ("xlsx", TO_XLSX)]:
        if not lst:
            continue
        od = SRC / f"out_{fmt}"; od.mkdir()
        filt = {"xls": "xls:MS Excel 97", "ods": "ods", "xlsx": "xlsx:Calc MS Excel 2007 XML"}[fmt]
        subprocess.run(["soffice", "--headless", "--calc", "--convert-to", filt, "--outdir", str(od)]
                       + [str(SRC / s) for s, _ in lst], check=True, capture_output=True, timeout=600)
        for s, dst in lst:
            p = OUT / dst; p.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(od / (Path(s).stem + "." + fmt)), p)

    missing = []
    truth_doc = {"round": ROUND, "rows": TRUTH_ROWS, "files": FILES, "missing_units": missing}
    json.dump(truth_doc, open(HERE / "round.truth.json", "w", encoding="utf-8"), ensure_ascii=False, indent=1)
    json.dump(TIMES, open(HERE / "times.json", "w", encoding="utf-8"), ensure_ascii=False, indent=1)
    shutil.rmtree(SRC)
    print(len(FILES), "files,", len(TRUTH_ROWS), "rows")

if __name__ == "__main__":
    main()
