#!/usr/bin/env python3
"""Red-team corpus 2 (round 2025Q1). Deterministic: fixed seeds, fixed zip times.
usage: python3 generate.py   (needs openpyxl, xlwt, odfpy, python-docx, msoffcrypto-tool, soffice)
Writes round/2025Q1/..., round.truth.json, times.json next to this file."""
import json, os, re, random, shutil, subprocess, tempfile, tomllib, zipfile, io, copy
from pathlib import Path
import openpyxl, xlwt
from openpyxl.styles import Alignment, Font
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

HERE = Path(__file__).resolve().parent
ROUND = HERE / "round"
RD = ROUND / "2025Q1"
REG = tomllib.load(open(HERE / "../../../templates/tasks.toml", "rb"))
TASK, GROUP = {}, {}
for p in REG["parts"]:
    for g in p["groups"]:
        for t in g["tasks"]:
            TASK[t["id"]] = t; GROUP[t["id"]] = (p["number"], g["number"])
TITLE = "2025年第一季度"
TRUTH = {"round": "2025Q1", "rows": [], "files": {}, "missing_units": []}
TIMES = {}
DEFAULT_T = "2025-04-07T10:00:00"

def leads(t): return "、".join(TASK[t]["lead"])
def short(t, n=30): return TASK[t]["text"][:n] + ("……" if len(TASK[t]["text"]) > n else "")
def row(unit, task, status, percent): TRUTH["rows"].append({"unit": unit, "task": task, "status": status, "percent": percent})
def add(path, unit, kind, outcome="used", codes=(), task_codes=(), mtime=DEFAULT_T):
    rel = str(Path(path).relative_to(ROUND))
    TRUTH["files"][Path(path).name] = {"unit": unit, "kind": kind, "outcome": outcome, "codes": list(codes),
                                      "task_codes": [list(x) for x in task_codes]}
    TIMES[rel] = mtime

PROG = ["完成方案起草并征求相关部门意见", "召开专题推进会，梳理重点企业清单", "与省级部门对接争取政策支持",
        "组织企业开展政策宣讲，覆盖企业{n}家", "推动{n}个项目签约落地", "印发实施细则并开展试运行"]
def prog(rng): return "；".join(s.format(n=rng.randint(3, 40)) for s in rng.sample(PROG, 2)) + "。"

def plan(tasks, seed):
    """deterministic (task, status, percent) for a unit"""
    rng = random.Random(seed); out = []
    for t in tasks:
        k = rng.random()
        if k < 0.15: out.append((t, "未启动", 0))
        elif k < 0.35: out.append((t, "已完成", 100))
        elif k < 0.5: out.append((t, "常态化推进", rng.choice([80, 85, 90])))
        else: out.append((t, "推进中", rng.choice([20, 30, 35, 40, 45, 55, 60, 65, 70, 75])))
    return out

CANON = ["序号", "试点任务", "牵头单位", "完成状态", "完成进度（%）", "本期工作进展", "项目落地情况", "案例报送", "存在问题", "下步计划", "政策诉求", "备注"]

def fixzip(p):
    """fixed zip entry times so output is byte-reproducible"""
    p = Path(p); buf = io.BytesIO()
    with zipfile.ZipFile(p) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for i in zin.infolist():
            data = zin.read(i.filename)
            if i.filename in ("docProps/core.xml", "docProps/app.xml", "meta.xml"):
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2025-04-03T09:00:00Z", data)
                data = re.sub(rb"(<(?:meta:creation-date|dc:date)>)[^<]*", rb"\g<1>2025-04-03T09:00:00", data)
            zi = zipfile.ZipInfo(i.filename, (2025, 4, 3, 9, 0, 0)); zi.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(zi, data)
    p.write_bytes(buf.getvalue())

def new_wb(sheet="进展情况"):
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = sheet
    import datetime
    wb.properties.created = wb.properties.modified = datetime.datetime(2025, 4, 3, 9, 0, 0)
    wb.properties.creator = "Administrator"
    return wb, ws

def save_wb(wb, path):
    path.parent.mkdir(parents=True, exist_ok=True); wb.save(path); fixzip(path)

def put(ws, r, vals, c0=1):
    for i, v in enumerate(vals):
        if v is not None: ws.cell(r, c0 + i, v)

def title_rows(ws, title, unit_line, ncol=12):
    ws.cell(1, 1, title); ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    ws.cell(1, 1).font = Font(size=16, bold=True); ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.cell(2, 1, unit_line)

def canon_rows(data, rng):
    return [[t, TASK[t]["text"], leads(t), s, p, prog(rng), "", "", "无", "持续推进", "", ""] for t, s, p in data]

def soffice(src, fmt, outdir):
    outdir = Path(outdir); outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run(["soffice", "--headless", "--convert-to", fmt, "--outdir", str(outdir), str(src)],
                   check=True, capture_output=True, timeout=180)

def lo_convert(src, ext, filt, dest):
    with tempfile.TemporaryDirectory() as td:
        s = Path(td) / ("src" + Path(src).suffix); shutil.copy(src, s)
        soffice(s, f"{ext}:{filt}" if filt else ext, Path(td) / "o")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(Path(td) / "o" / ("src." + ext), dest)
        if ext in ("xlsx", "xlsm"): fixzip(dest)

def new_doc():
    d = Document(); import datetime
    d.core_properties.created = d.core_properties.modified = datetime.datetime(2025, 4, 3, 9, 0, 0)
    d.core_properties.author = "Administrator"
    return d

def save_doc(d, path):
    path.parent.mkdir(parents=True, exist_ok=True); d.save(path); fixzip(path)

def doc_table(d_or_cell, header, rows):
    t = d_or_cell.add_table(rows=1 + len(rows), cols=len(header))
    try: t.style = "Table Grid"
    except Exception: pass
    for i, h in enumerate(header): t.cell(0, i).text = str(h)
    for r, vals in enumerate(rows, 1):
        for i, v in enumerate(vals): t.cell(r, i).text = "" if v is None else str(v)
    return t

# ---------------------------------------------------------------- units
def f_keji():
    """LibreOffice re-saved xlsx; rows sorted by status; statuses with extra words."""
    u = "市科技局"; rng = random.Random(1)
    data = [(58, "已完成（提前）", 100, "已完成", 100), (1, "推进中，预计年底完成", 70, "推进中", 70),
            (13, "推进中", 40, "推进中", 40), (93, "常态化推进", 90, "常态化推进", 90)]
    wb, ws = new_wb("Sheet1")
    title_rows(ws, f"市科技局服务业扩大开放综合试点任务{TITLE}推进情况表", "填报单位：南京市科学技术局    填报人：王敏    联系电话：84680000    填报日期：2025年4月3日")
    put(ws, 3, CANON)
    for i, (t, s, p, ts, tp) in enumerate(data):
        put(ws, 4 + i, [t, TASK[t]["text"], leads(t), s, p, prog(rng), "", "", "", "", "", ""]); row(u, t, ts, tp)
    tmp = HERE / "_tmp_keji.xlsx"; wb.save(tmp)
    dest = RD / "市科技局2025年一季度推进情况（按状态排序）.xlsx"
    lo_convert(tmp, "xlsx", "Calc MS Excel 2007 XML", dest); tmp.unlink()
    add(dest, u, "spreadsheet")

def f_shichang():
    """tasks split across two sheets by part"""
    u = "市市场监管局"; data = plan(TASK and [2, 3, 4, 8, 9, 31, 34, 53, 73, 78, 80], 2); rng = random.Random(2)
    wb, ws = new_wb("第一部分")
    ws2 = wb.create_sheet("第二至四部分")
    order = {"已完成": 0, "常态化推进": 1, "推进中": 2, "未启动": 3}
    p1 = sorted([d for d in data if d[0] <= 34], key=lambda x: (order[x[1]], x[0]))
    for w, part in ((ws, p1), (ws2, [d for d in data if d[0] > 34])):
        title_rows(w, f"南京市市场监管局{TITLE}试点任务推进情况（{w.title}）", "填报单位：南京市市场监督管理局  填报日期：2025-04-03")
        put(w, 3, CANON)
        for i, r in enumerate(canon_rows(part, rng)):
            put(w, 4 + i, r)
            if w is ws: w.cell(4 + i, 1, "=ROW()-3")
    for t, s, p in data: row(u, t, s, p)
    tmp = HERE / "_tmp_sc.xlsx"; wb.save(tmp)
    dest = RD / "市场监管局进展表（分部分）.xlsx"; lo_convert(tmp, "xlsx", "Calc MS Excel 2007 XML", dest); tmp.unlink()
    add(dest, u, "spreadsheet")

def f_jinrong():
    """percent written in words: 约60%, 60％左右, 六成, 过半, 近八成"""
    u = "市金融局"; tasks = [2, 3, 4, 9, 14, 20, 21, 22, 24, 25, 26, 27, 28, 29, 61, 101, 102, 103, 104]
    data = plan(tasks, 3); rng = random.Random(3)
    forms = {21: ("约60%", 60), 24: ("60％左右", 60), 25: ("六成", 60), 27: ("过半", "any"), 28: ("30%（预计）", 30), 102: ("近八成", "any")}
    tc = []
    wb, ws = new_wb("金融局")
    title_rows(ws, f"市金融局{TITLE}服务业扩大开放综合试点任务推进情况", "填报单位：南京市地方金融监督管理局   填报人：李华   填报日期：2025年4月2日")
    put(ws, 3, CANON)
    for i, (t, s, p) in enumerate(data):
        cell = p
        if t in forms:
            s = "推进中"; cell, p = forms[t]
            if p == "any": tc.append(("invalid-percent", t))
        put(ws, 4 + i, [t, TASK[t]["text"], leads(t), s, cell, prog(rng), "", "", "", "", "", ""]); row(u, t, s, p)
    dest = RD / "金融局-2025Q1进展.xlsx"; save_wb(wb, dest); add(dest, u, "spreadsheet", task_codes=tc)

def f_gongxin():
    """status only as ✓ in per-status columns"""
    u = "市工信局"; data = plan([5, 6, 42, 43, 44, 55, 56, 57], 4); rng = random.Random(4)
    wb, ws = new_wb("推进情况")
    title_rows(ws, f"南京市工业和信息化局试点任务推进情况表（{TITLE}）", "填报单位：市工信局  填报人：赵强  联系电话：83630000  填报日期：2025年4月3日", 9)
    put(ws, 3, ["序号", "试点任务", "完成情况", None, None, None, "完成进度（%）", "本期工作进展", "存在问题"])
    ws.merge_cells("C3:F3")
    put(ws, 4, [None, None, "未启动", "推进中", "已完成", "常态化推进"])
    for c in (1, 2, 7, 8, 9): ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    cols = {"未启动": 3, "推进中": 4, "已完成": 5, "常态化推进": 6}
    for i, (t, s, p) in enumerate(data):
        r = 5 + i
        put(ws, r, [t, TASK[t]["text"]]); ws.cell(r, cols[s], "✓"); put(ws, r, [p, prog(rng), ""], 7); row(u, t, s, p)
    dest = RD / "市工信局一季度试点任务推进情况.xlsx"; save_wb(wb, dest); add(dest, u, "spreadsheet")

def f_fagai():
    """header in row 14 after 12 rows of instructions; 填报日期 in Chinese numerals"""
    u = "市发改委"; data = plan([6, 13, 52, 57, 59, 63, 75, 86, 87], 5); rng = random.Random(5)
    wb, ws = new_wb("一季度")
    ws.cell(1, 1, f"南京市服务业扩大开放综合试点任务推进情况表（{TITLE}）")
    ws.cell(2, 1, "填报说明：")
    notes = ["1. 本表由各牵头单位填写，请于4月10日前报送领导小组办公室。", "2. “完成状态”请从下拉列表中选择：未启动、推进中、已完成、常态化推进。",
             "3. “完成进度”填写0-100之间的数字。", "4. 请勿修改表格结构，请勿删除行列。", "5. 联合牵头任务由各牵头单位分别填报。",
             "6. “项目落地情况”请注明项目数量、投资额。", "7. “案例报送”请注明案例名称。", "8. 涉及政策诉求的请在“政策诉求”栏填写。",
             "9. 联系人：领导小组办公室 张某 025-68780000。", "10. 电子版请通过政务内网报送。"]
    for i, n in enumerate(notes): ws.cell(3 + i, 1, n)
    ws.cell(13, 1, "填报单位：南京市发展和改革委员会　　填报人：孙丽　　填报日期：二〇二五年四月三日")
    put(ws, 14, CANON)
    for i, r in enumerate(canon_rows(data, rng)): put(ws, 15 + i, r)
    for t, s, p in data: row(u, t, s, p)
    dest = RD / "发改委试点任务进展（2025年一季度）.xlsx"; save_wb(wb, dest); add(dest, u, "spreadsheet", task_codes=[("status-conflict", 63)] if False else [])
    return dict((t, (s, p)) for t, s, p in data)

def f_jiangbei():
    """.xlsm via LibreOffice; hidden column holding last quarter's status"""
    u = "江北新区"; data = plan([7, 36, 37, 45, 64, 65], 6); rng = random.Random(6)
    old = plan([7, 36, 37, 45, 64, 65], 66)
    wb, ws = new_wb("江北新区")
    title_rows(ws, f"江北新区服务业扩大开放综合试点任务推进表（{TITLE}）", "填报单位：江北新区管委会  填报日期：2025.4.3")
    hdr = ["序号", "试点任务", "牵头单位", "2024年第四季度完成状态", "完成状态", "完成进度（%）", "本期工作进展", "存在问题", "下步计划"]
    put(ws, 3, hdr)
    for i, (t, s, p) in enumerate(data):
        put(ws, 4 + i, [t, TASK[t]["text"], leads(t), old[i][1], s, p, prog(rng), "", ""]); row(u, t, s, p)
    ws.column_dimensions["D"].hidden = True
    tmp = HERE / "_tmp_jb.xlsx"; wb.save(tmp)
    dest = RD / "江北新区一季度推进情况.xlsm"
    lo_convert(tmp, "xlsm", "Calc MS Excel 2007 VBA XML", dest); tmp.unlink()
    add(dest, u, "spreadsheet")

def f_renshe():
    """CSV saved with an .xlsx name"""
    u = "市人社局"; rng = random.Random(7)
    lines = ["序号,试点任务,完成状态,完成进度（%）,本期工作进展"]
    for t, s, p in plan([10, 11, 19], 7):
        lines.append(f"{t},\"{short(t)}\",{s},{p},{prog(rng)}")
    dest = RD / "市人社局2025年一季度进展表.xlsx"; dest.write_bytes("\r\n".join(lines).encode("gbk"))
    add(dest, u, "spreadsheet", outcome="rejected", codes=["unreadable-file", "unsupported-format"])

def f_jianwei():
    """password-protected xlsx (password 123456 sent separately by phone)"""
    u = "市建委"; rng = random.Random(8)
    wb, ws = new_wb()
    title_rows(ws, f"市建委{TITLE}推进情况", "填报单位：南京市城乡建设委员会  填报日期：2025年4月3日")
    put(ws, 3, CANON); put(ws, 4, canon_rows([(12, "推进中", 60)], rng)[0])
    tmp = HERE / "_tmp_jw.xlsx"; wb.save(tmp)
    import msoffcrypto.format.ooxml
    dest = RD / "市建委进展表（加密）.xlsx"
    with open(tmp, "rb") as f, open(dest, "wb") as g:
        o = msoffcrypto.format.ooxml.OOXMLFile(f)
        o.encrypt("123456", g)
    tmp.unlink()
    add(dest, u, "spreadsheet", outcome="rejected", codes=["encrypted-file"])

def f_yuhua_ruanjian():
    """joint workbook: one sheet per unit, each with its own 填报单位"""
    rng = random.Random(9)
    wb, ws = new_wb("雨花台区")
    ws2 = wb.create_sheet("软件谷")
    vals = {"雨花台区": [(66, "推进中", 50), (67, "推进中", 30)], "软件谷": [(66, "推进中", 65), (67, "已完成", 100)]}
    for w, un, full in ((ws, "雨花台区", "南京市雨花台区人民政府"), (ws2, "软件谷", "中国（南京）软件谷管理委员会")):
        title_rows(w, f"{un}服务业扩大开放综合试点任务推进情况（{TITLE}）", f"填报单位：{full}  填报日期：2025年4月3日")
        put(w, 3, CANON)
        for i, r in enumerate(canon_rows(vals[un], rng)): put(w, 4 + i, r)
        for t, s, p in vals[un]: row(un, t, s, p)
    dest = RD / "雨花台区、软件谷联合报送进展表.xlsx"; save_wb(wb, dest)
    add(dest, "雨花台区", "spreadsheet")

def f_yinhang():
    """Word report, progress table split over a page: second table repeats the header (续表)"""
    u = "人行南京营管部"; tasks = [14, 20, 22, 23, 101, 104, 24, 25, 27, 28, 29, 102, 103]
    data = plan(tasks, 10); rng = random.Random(10)
    d = new_doc()
    d.add_heading("中国人民银行南京分行营业管理部关于服务业扩大开放综合试点任务2025年第一季度推进情况的报告", 1)
    d.add_paragraph("市服务业扩大开放综合试点工作领导小组办公室：")
    d.add_paragraph("现将我部牵头的试点任务2025年第一季度推进情况报告如下。")
    d.add_paragraph("一、任务推进情况")
    hdr = ["序号", "试点任务", "完成状态", "完成进度（%）", "工作进展"]
    doc_table(d, hdr, [[t, short(t, 40), s, p, prog(rng)] for t, s, p in data[:7]])
    d.add_page_break()
    d.add_paragraph("续表")
    doc_table(d, hdr, [[t, short(t, 40), s, p, prog(rng)] for t, s, p in data[7:]])
    d.add_paragraph("二、存在问题")
    d.add_paragraph("部分政策需上级部门授权，推进节奏受影响。")
    d.add_paragraph("三、下步计划")
    d.add_paragraph("加强与总行沟通，推动政策尽快落地。")
    for t, s, p in data: row(u, t, s, p)
    dest = RD / "营管部一季度试点任务推进情况报告.docx"; save_doc(d, dest); add(dest, u, "report")

def f_wenlv():
    """Word table whose 序号 are Chinese-numeral 第十五项 forms"""
    u = "市文旅局"; data = plan([15, 47, 68, 69, 71], 11); rng = random.Random(11)
    cn = {15: "第十五项", 47: "第四十七项", 68: "第六十八项", 69: "第六十九项", 71: "第七十一项"}
    d = new_doc()
    d.add_heading("南京市文化和旅游局关于2025年第一季度服务业扩大开放综合试点任务推进情况的报告", 1)
    d.add_paragraph("一、总体情况")
    d.add_paragraph("我局牵头5项试点任务，现将推进情况列表如下：")
    doc_table(d, ["任务序号", "任务内容", "推进状态", "完成比例", "推进情况"], [[cn[t], short(t), s, f"{p}%", prog(rng)] for t, s, p in data])
    for t, s, p in data: row(u, t, s, p)
    dest = RD / "文旅局报告（2025一季度）.docx"; save_doc(d, dest); add(dest, u, "report")

def f_weijian():
    """task text merged across tasks 96/97; a hidden row holding last quarter's line for task 30"""
    u = "市卫健委"; data = plan([30, 32, 33, 38, 96, 97], 12); rng = random.Random(12)
    wb, ws = new_wb("卫健委")
    title_rows(ws, f"市卫健委{TITLE}试点任务推进情况", "填报单位：南京市卫生健康委员会  填报日期：2025年4月3日")
    put(ws, 3, CANON)
    r = 4
    put(ws, r, [30, TASK[30]["text"], leads(30), "未启动", 0, "（2024年第四季度）尚未开展", "", "", "", "", "", "上季度数据"]); ws.row_dimensions[r].hidden = True; r += 1
    for t, s, p in data:
        txt = TASK[t]["text"] if t != 97 else None
        if t == 96: txt = TASK[96]["text"] + TASK[97]["text"]
        put(ws, r, [t, txt, leads(t), s, p, prog(rng), "", "", "", "", "", ""]); row(u, t, s, p); r += 1
    ws.merge_cells(start_row=r - 2, start_column=2, end_row=r - 1, end_column=2)
    dest = RD / "卫健委-一季度推进情况.xlsx"; save_wb(wb, dest)
    add(dest, u, "spreadsheet", task_codes=[("duplicate-task", 30)])

def f_minzheng():
    """sends last quarter's file again"""
    u = "市民政局"; rng = random.Random(13)
    wb, ws = new_wb("四季度")
    title_rows(ws, "市民政局2024年第四季度试点任务推进情况表", "填报单位：南京市民政局  填报日期：2025年1月6日")
    put(ws, 3, CANON); put(ws, 4, canon_rows([(33, "推进中", 40)], rng)[0])
    dest = RD / "市民政局进展表.xlsx"; save_wb(wb, dest)
    add(dest, u, "spreadsheet", outcome="rejected", codes=["stale-round"], mtime="2025-04-08T10:00:00")

def f_shangwu():
    """sorted by status; 合计 row; numbered notes under the table"""
    u = "市商务局"; data = plan([38, 46, 70, 79, 81, 82, 83, 84, 85, 86, 87, 88], 14); rng = random.Random(14)
    order = {"已完成": 0, "常态化推进": 1, "推进中": 2, "未启动": 3}
    data = sorted(data, key=lambda x: (order[x[1]], -x[2]))
    wb, ws = new_wb("商务局")
    title_rows(ws, f"市商务局牵头试点任务{TITLE}推进情况", "填报单位：南京市商务局  填报日期：2025年4月7日")
    put(ws, 3, CANON)
    r = 4
    for rr in canon_rows(data, rng): put(ws, r, rr); r += 1
    put(ws, r, ["合计", "共12项", None, "已完成" + str(sum(1 for d in data if d[1] == "已完成")) + "项", None]); r += 2
    ws.cell(r, 1, "说明："); r += 1
    for i, n in enumerate(["完成进度按序时进度测算，已完成任务按100%填写。", "第86、87项为联合牵头任务，进度与市发改委一致。",
                           "项目落地情况统计截至3月31日。"], 1):
        put(ws, r, [i, n]); r += 1
    for t, s, p in data: row(u, t, s, p)
    dest = RD / "市商务局一季度推进情况表.xlsx"; save_wb(wb, dest)
    add(dest, u, "spreadsheet")
    return dict((t, (s, p)) for t, s, p in data)

def f_tongguan():
    """.ods in a per-unit subfolder; file name names no unit; 填报日期 2025.4.3"""
    u = "南京通管办（联系省通管局）"; data = plan([39, 40, 41, 44, 45], 15); rng = random.Random(15)
    wb, ws = new_wb("Sheet1")
    title_rows(ws, f"试点任务推进情况表（{TITLE}）", "填报单位：南京通管办    填报日期：2025.4.3")
    put(ws, 3, CANON)
    for i, r in enumerate(canon_rows(data, rng)): put(ws, 4 + i, r)
    for t, s, p in data: row(u, t, s, p)
    tmp = HERE / "_tmp_tg.xlsx"; wb.save(tmp)
    dest = RD / "通管办" / "进展表.ods"; lo_convert(tmp, "ods", "", dest); tmp.unlink()
    add(dest, u, "spreadsheet")

def f_zhengwu():
    """running 序号 beside 任务编号 written as the annex's text number （十二）72"""
    u = "市政务办"; data = plan([72, 74, 76, 77], 16); rng = random.Random(16)
    wb, ws = new_wb("政务办")
    title_rows(ws, f"市政务办试点任务推进情况（{TITLE}）", "填报单位：南京市政务服务管理办公室  填报日期：2025年4月3日")
    put(ws, 3, ["序号", "任务编号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"])
    for i, (t, s, p) in enumerate(data):
        put(ws, 4 + i, [i + 1, f"{GROUP[t][1]}{t}", TASK[t]["text"], s, p, prog(rng)]); row(u, t, s, p)
    dest = RD / "市政务办-2025年第一季度.xlsx"; save_wb(wb, dest); add(dest, u, "spreadsheet")
    return dict((t, (s, p)) for t, s, p in data)

def f_shuiwu(zw):
    """WPS .et (BIFF8) with very long progress cell; joint task 72 differing from 政务办"""
    u = "市税务局"; s = "已完成" if zw[72][0] != "已完成" else "推进中"; p = 100 if s == "已完成" else 50
    w = xlwt.Workbook(encoding="utf-8"); ws = w.add_sheet("Sheet1")
    ws.write(0, 0, f"国家税务总局南京市税务局{TITLE}试点任务推进情况")
    ws.write(1, 0, "填报单位：国家税务总局南京市税务局  填报日期：2025年4月3日")
    for i, h in enumerate(["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"]): ws.write(2, i, h)
    long = ("深化“放管服”改革，推行税费服务“一网通办”，" * 400)[:30000]
    for i, v in enumerate([72, TASK[72]["text"], s, p, long]): ws.write(3, i, v)
    tmp = HERE / "_tmp_sw.xls"; w.save(str(tmp))
    dest = RD / "税务局进展表.et"; lo_convert(tmp, "xls", "MS Excel 97", dest); tmp.unlink()
    row(u, 72, s, p); add(dest, u, "spreadsheet")

def f_gongan():
    """Word report, table with no id column: tasks named by (abridged) text only"""
    u = "市公安局"; data = plan([89, 90, 91, 98], 17); rng = random.Random(17)
    d = new_doc()
    d.add_heading("南京市公安局关于2025年第一季度服务业扩大开放综合试点任务推进情况的报告", 1)
    d.add_paragraph("一、任务推进情况")
    doc_table(d, ["试点任务", "完成状态", "完成进度", "工作推进情况"], [[TASK[t]["text"], s, p, prog(rng)] for t, s, p in data])
    for t, s, p in data: row(u, t, s, p)
    dest = RD / "公安局一季度工作报告.docx"; save_doc(d, dest); add(dest, u, "report")
    return dict((t, (s, p)) for t, s, p in data)

TEXTBOX = '''<w:r %s><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" id="tb1" type="#_x0000_t202" style="width:420pt;height:40pt"><v:textbox><w:txbxContent><w:p><w:r><w:t>%s</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>'''

def f_waiban(ga):
    """report title (naming the unit) only inside a text box; file name names no unit"""
    u = "市外办"; rng = random.Random(18)
    data = [(89, ga[89][0], ga[89][1]), (90, "推进中", 55), (91, "常态化推进", 85)]
    d = new_doc()
    p = d.add_paragraph()
    p._p.append(parse_xml(TEXTBOX % (nsdecls("w"), "南京市人民政府外事办公室关于2025年第一季度试点任务推进情况的报告")))
    d.add_paragraph("一、任务推进情况")
    doc_table(d, ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"], [[t, short(t), s, q, prog(rng)] for t, s, q in data])
    for t, s, q in data: row(u, t, s, q)
    dest = RD / "关于2025年第一季度试点任务推进情况的报告.docx"; save_doc(d, dest)
    add(dest, u, "report")

def f_wangxin():
    """progress table nested inside a layout table"""
    u = "市委网信办"; data = plan([94, 95, 98, 99], 19); rng = random.Random(19)
    d = new_doc()
    d.add_heading("中共南京市委网络安全和信息化委员会办公室关于2025年第一季度试点任务推进情况的报告", 1)
    outer = d.add_table(rows=2, cols=1)
    outer.cell(0, 0).text = "附表：任务推进情况"
    box = lambda s: "  ".join(("☑" if k == s else "☐") + k for k in ("未启动", "推进中", "已完成", "常态化推进"))
    doc_table(outer.cell(1, 0), ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"], [[t, short(t), box(s), p, prog(rng)] for t, s, p in data])
    for t, s, p in data: row(u, t, s, p)
    dest = RD / "市委网信办一季度报告.docx"; save_doc(d, dest); add(dest, u, "report")

def f_jinling_bianjian():
    """金陵海关 late (4-15); 南京边检站 file in per-unit subfolder, disagreeing on joint task 92"""
    rng = random.Random(20)
    wb, ws = new_wb()
    title_rows(ws, f"金陵海关试点任务推进情况（{TITLE}）", "填报单位：中华人民共和国金陵海关  填报日期：2025年4月15日")
    put(ws, 3, CANON)
    for i, r in enumerate(canon_rows([(82, "推进中", 45), (92, "推进中", 60)], rng)): put(ws, 4 + i, r)
    row("金陵海关", 82, "推进中", 45); row("金陵海关", 92, "推进中", 60)
    dest = RD / "金陵海关进展表.xlsx"; save_wb(wb, dest)
    add(dest, "金陵海关", "spreadsheet", codes=["late-submission"], mtime="2025-04-15T16:00:00")
    wb, ws = new_wb()
    title_rows(ws, f"南京边检站试点任务推进情况（{TITLE}）", "填报单位：南京出入境边防检查站  填报日期：2025年4月3日")
    put(ws, 3, CANON); put(ws, 4, canon_rows([(92, "已完成", 100)], rng)[0]); row("南京边检站", 92, "已完成", 100)
    dest = RD / "南京边检站" / "一季度进展表.xlsx"; save_wb(wb, dest)
    add(dest, "南京边检站", "spreadsheet")

def f_jiaoyu():
    """备份 copy with later date and different values must lose (rule 1)"""
    u = "市教育局"; rng = random.Random(21)
    good = [(17, "推进中", 55), (18, "推进中", 40), (19, "已完成", 100)]
    bad = [(17, "推进中", 30), (18, "未启动", 0), (19, "推进中", 80)]
    for name, data, date, mt, out in (("市教育局进展表.xlsx", good, "2025年4月3日", "2025-04-03T10:00:00", "used"),
                                      ("市教育局进展表 - 备份.xlsx", bad, "2025年4月8日", "2025-04-08T10:00:00", "superseded")):
        wb, ws = new_wb()
        title_rows(ws, f"市教育局{TITLE}试点任务推进情况", f"填报单位：南京市教育局  填报日期：{date}")
        put(ws, 3, CANON)
        for i, r in enumerate(canon_rows(data, rng)): put(ws, 4 + i, r)
        dest = RD / name; save_wb(wb, dest); add(dest, u, "spreadsheet", outcome=out, codes=["superseded"] if out == "superseded" else [], mtime=mt)
    for t, s, p in good: row(u, t, s, p)

def f_yibao():
    """percent as a formula (done/total) in a percent-formatted cell; LibreOffice re-saved (cached values)"""
    u = "市医保局"; rng = random.Random(22)
    wb, ws = new_wb("医保")
    title_rows(ws, f"市医保局{TITLE}推进情况", "填报单位：南京市医疗保障局  填报日期：2025年4月3日", 9)
    put(ws, 3, ["序号", "试点任务", "完成状态", "已完成事项", "计划事项", "完成进度", "本期工作进展", "存在问题", "下步计划"])
    for i, (t, s, a, b) in enumerate([(21, "推进中", 3, 5), (35, "已完成", 4, 4)]):
        r = 4 + i; put(ws, r, [t, TASK[t]["text"], s, a, b, f"=D{r}/E{r}", prog(rng), "", ""])
        ws.cell(r, 6).number_format = "0%"
    row(u, 21, "推进中", 60); row(u, 35, "已完成", 100)
    tmp = HERE / "_tmp_yb.xlsx"; wb.save(tmp)
    dest = RD / "医保局进展（2025Q1）.xlsx"; lo_convert(tmp, "xlsx", "Calc MS Excel 2007 XML", dest); tmp.unlink()
    add(dest, u, "spreadsheet")

def f_xuanchuan():
    """WPS .wps (a Word 97 binary with the WPS extension), narrative + table"""
    u = "市委宣传部"; rng = random.Random(23)
    d = new_doc()
    d.add_heading("中共南京市委宣传部关于2025年第一季度服务业扩大开放综合试点任务推进情况的报告", 1)
    d.add_paragraph("一、任务推进情况")
    doc_table(d, ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"], [[48, short(48), "推进中", 65, prog(rng)]])
    tmp = HERE / "_tmp_xc.docx"; d.save(tmp)
    with tempfile.TemporaryDirectory() as td:
        soffice(tmp, "odt", td); lo_convert(Path(td) / "_tmp_xc.odt", "doc", "MS Word 97", RD / "市委宣传部一季度报告.wps")
    tmp.unlink()
    row(u, 48, "推进中", 65); add(RD / "市委宣传部一季度报告.wps", u, "report")

def f_sifa():
    """ids written 49. / 50、 ; status 正在推进中"""
    u = "市司法局"; rng = random.Random(24)
    wb, ws = new_wb()
    title_rows(ws, f"市司法局{TITLE}推进情况", "填报单位：南京市司法局  填报日期：2025年4月3日")
    put(ws, 3, ["序号", "试点任务", "牵头单位", "完成状态", "序时进度（%）", "完成进度（%）", "本期工作进展"])
    put(ws, 4, ["49.", TASK[49]["text"], leads(49), "推进中", 58, 70, prog(rng)]); put(ws, 5, ["50、", TASK[50]["text"], leads(50), "常态化推进", 58, 90, prog(rng)])
    row(u, 49, "推进中", 70); row(u, 50, "常态化推进", 90)
    dest = RD / "司法局进展表.xlsx"; save_wb(wb, dest); add(dest, u, "spreadsheet")

def f_guihua():
    """填报单位 written with an unlisted abbreviation; file name names the unit"""
    u = "市规划和自然资源局"; rng = random.Random(25)
    wb, ws = new_wb()
    title_rows(ws, f"{TITLE}试点任务推进情况", "填报单位：规划资源局  填报日期：2025年4月3日")
    put(ws, 3, CANON)
    for i, r in enumerate(canon_rows([(54, "推进中", 35), (60, "推进中", 50)], rng)): put(ws, 4 + i, r)
    row(u, 54, "推进中", 35); row(u, 60, "推进中", 50)
    dest = RD / "市规划和自然资源局进展表.xlsx"; save_wb(wb, dest); add(dest, u, "spreadsheet", codes=["unknown-unit"])

def f_zuzhi():
    """32000-character progress cell (near Excel's limit)"""
    u = "市委组织部（市委人才办）"
    wb, ws = new_wb()
    title_rows(ws, f"市委人才办{TITLE}推进情况", "填报单位：中共南京市委组织部  填报日期：2025年4月3日")
    put(ws, 3, CANON)
    long = ("围绕“宁聚计划”开展海外引才活动，新引进高层次人才团队。" * 1300)[:32000]
    put(ws, 4, [62, TASK[62]["text"], leads(62), "推进中", 75, long]); row(u, 62, "推进中", 75)
    dest = RD / "人才办一季度.xlsx"; save_wb(wb, dest); add(dest, u, "spreadsheet")

def f_linkong():
    """report title with 管委会 suffix (not an alias), file name names the unit"""
    u = "国家（南京）临空经济示范区"; rng = random.Random(26)
    d = new_doc()
    d.add_heading("国家（南京）临空经济示范区管委会关于2025年第一季度试点任务推进情况的报告", 1)
    d.add_paragraph("一、任务推进情况")
    d.add_paragraph("表1  2024年第四季度推进情况（对比）")
    doc_table(d, ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"], [[16, short(16), "推进中", 30, "（上季度）完成航空物流园区规划"]])
    d.add_paragraph("表2  2025年第一季度推进情况")
    doc_table(d, ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"], [[16, short(16), "推进中", 45, prog(rng)]])
    row(u, 16, "推进中", 45)
    dest = RD / "国家（南京）临空经济示范区一季度报告.docx"; save_doc(d, dest); add(dest, u, "report")

def f_shengtai():
    """first sheet 填写示例 holds an example row for task 23 with other values"""
    u = "市生态环境局"; rng = random.Random(27)
    wb, ws = new_wb("填写示例")
    ws.cell(1, 1, "填写示例（请勿修改）"); put(ws, 2, CANON); put(ws, 3, [23, TASK[23]["text"], leads(23), "推进中", 50, "示例：已完成方案起草，正在征求意见"])
    ws2 = wb.create_sheet("一季度")
    title_rows(ws2, f"市生态环境局{TITLE}推进情况", "填报单位：南京市生态环境局  填报日期：2025年4月3日")
    put(ws2, 3, CANON); put(ws2, 4, [23, TASK[23]["text"], leads(23), "推进中", 40, prog(rng)])
    row(u, 23, "推进中", 40)
    dest = RD / "市生态环境局进展表.xlsx"; save_wb(wb, dest); add(dest, u, "spreadsheet")

def f_dashuju():
    """AutoFilter that hides the 已完成 row; also reports for delegated 市大数据集团"""
    u = "市大数据局"; rng = random.Random(28)
    wb, ws = new_wb()
    title_rows(ws, f"市大数据局{TITLE}推进情况（含市大数据集团）", "填报单位：南京市大数据管理局  填报日期：2025年4月3日")
    put(ws, 3, CANON)
    put(ws, 4, canon_rows([(43, "推进中", 55)], rng)[0]); put(ws, 5, canon_rows([(100, "已完成", 100)], rng)[0])
    ws.auto_filter.ref = "A3:L5"; ws.auto_filter.add_filter_column(3, ["推进中"]); ws.row_dimensions[5].hidden = True
    row(u, 43, "推进中", 55); row(u, 100, "已完成", 100)
    dest = RD / "大数据局进展表（筛选）.xlsx"; save_wb(wb, dest); add(dest, u, "spreadsheet")

def f_caizheng(fg):
    """joint lead 63/95; status written 正在推进中; 63 disagrees with 市发改委"""
    u = "市财政局"; rng = random.Random(29)
    s63 = "已完成" if fg[63][0] != "已完成" else "推进中"; p63 = 100 if s63 == "已完成" else 50
    wb, ws = new_wb()
    title_rows(ws, f"市财政局{TITLE}推进情况", "填报单位：南京市财政局  填报日期：2025/4/3")
    put(ws, 3, CANON)
    put(ws, 4, [63, TASK[63]["text"], leads(63), s63, p63, prog(rng)]); put(ws, 5, [95, TASK[95]["text"], leads(95), "正在推进中", 45, prog(rng)])
    row(u, 63, s63, p63); row(u, 95, "推进中", 45)
    dest = RD / "财政局进展表.xlsx"; save_wb(wb, dest); add(dest, u, "spreadsheet")

def f_tongji():
    """填报日期 in Chinese numerals vs 2025.4.3; the older-dated file is named 修改 and has the later file time"""
    u = "市统计局"; rng = random.Random(31)
    for name, date, mt, val, out in (("统计局进展表.xlsx", "二〇二五年四月八日", "2025-04-08T10:00:00", ("推进中", 50), "used"),
                                     ("统计局进展表（修改）.xlsx", "2025.4.3", "2025-04-10T09:00:00", ("推进中", 30), "superseded")):
        wb, ws = new_wb()
        title_rows(ws, f"市统计局{TITLE}试点任务推进情况", f"填报单位：南京市统计局  填报人：周洁  填报日期：{date}")
        put(ws, 3, CANON); put(ws, 4, canon_rows([(51, val[0], val[1])], rng)[0])
        dest = RD / name; save_wb(wb, dest)
        add(dest, u, "spreadsheet", outcome=out, codes=["superseded"] if out == "superseded" else [], mtime=mt)
    row(u, 51, "推进中", 50)

def f_lukou():
    """one workbook, one sheet per quarter appended at the end (oldest first), default sheet names; Sheet3 active"""
    u = "南京禄口机场海关"; rng = random.Random(32)
    wb, ws = new_wb("Sheet1")
    sheets = [(ws, "2024年第三季度", "2024年10月8日", ("推进中", 35)), (wb.create_sheet("Sheet2"), "2024年第四季度", "2025年1月7日", ("推进中", 45)),
              (wb.create_sheet("Sheet3"), TITLE, "2025年4月3日", ("推进中", 55))]
    for w, q, date, (st, p) in sheets:
        title_rows(w, f"南京禄口机场海关服务业扩大开放综合试点任务推进情况（{q}）", f"填报单位：南京禄口机场海关  填报日期：{date}")
        put(w, 3, CANON); put(w, 4, canon_rows([(16, st, p)], rng)[0])
    wb.active = 2
    for w in wb: w.sheet_view.tabSelected = w.title == "Sheet3"
    row(u, 16, "推进中", 55)
    dest = RD / "禄口机场海关试点任务推进情况（按季度）.xlsx"; save_wb(wb, dest); add(dest, u, "spreadsheet")

def f_misplaced():
    """a copy dropped directly into the inbox root beside 2025Q1/"""
    rng = random.Random(30)
    wb, ws = new_wb()
    title_rows(ws, f"市卫健委{TITLE}试点任务推进情况", "填报单位：南京市卫生健康委员会  填报日期：2025年4月2日")
    put(ws, 3, CANON); put(ws, 4, canon_rows([(30, "未启动", 0)], rng)[0])
    dest = ROUND / "卫健委-一季度推进情况(1).xlsx"; save_wb(wb, dest)
    add(dest, "市卫健委", "spreadsheet", outcome="skipped", codes=["misplaced-file"])

def conflicts():
    """status-conflict expected on the file of a joint (non-primary) lead whose status differs from the primary's"""
    by = {(r["unit"], r["task"]): r for r in TRUTH["rows"]}
    ufile = {}
    for name, f in TRUTH["files"].items():
        if f["outcome"] == "used": ufile.setdefault(f["unit"], name)
    ufile["软件谷"] = "雨花台区、软件谷联合报送进展表.xlsx"
    for (u, t), r in sorted(by.items()):
        prim = TASK[t]["lead"][0]
        if u != prim and (prim, t) in by and by[(prim, t)]["status"] != r["status"]:
            TRUTH["files"][ufile[u]]["task_codes"].append(["status-conflict", t])

def main():
    if ROUND.exists(): shutil.rmtree(ROUND)
    RD.mkdir(parents=True)
    f_keji(); f_shichang(); f_jinrong(); f_gongxin(); fg = f_fagai(); f_jiangbei(); f_renshe(); f_jianwei()
    f_yuhua_ruanjian(); f_yinhang(); f_wenlv(); f_weijian(); f_minzheng(); f_shangwu(); f_tongguan()
    zw = f_zhengwu(); f_shuiwu(zw); ga = f_gongan(); f_waiban(ga); f_wangxin(); f_jinling_bianjian()
    f_jiaoyu(); f_yibao(); f_xuanchuan(); f_sifa(); f_guihua(); f_zuzhi(); f_linkong(); f_shengtai(); f_dashuju()
    f_caizheng(fg); f_tongji(); f_lukou(); f_misplaced()
    # lock file + .DS_Store: skipped silently
    (RD / "~$市商务局一季度推进情况表.xlsx").write_bytes(b"\x0bAdministrator" + b"\x00" * 40)
    (RD / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1" + b"\x00" * 60)
    TIMES["2025Q1/~$市商务局一季度推进情况表.xlsx"] = DEFAULT_T; TIMES["2025Q1/.DS_Store"] = DEFAULT_T
    conflicts()
    TRUTH["missing_units"] = []
    TRUTH["rows"].sort(key=lambda r: (r["unit"], r["task"]))
    json.dump(TRUTH, open(HERE / "round.truth.json", "w", encoding="utf-8"), ensure_ascii=False, indent=1)
    json.dump(dict(sorted(TIMES.items())), open(HERE / "times.json", "w", encoding="utf-8"), ensure_ascii=False, indent=1)
    for rel, t in TIMES.items():
        subprocess.run(["touch", "-d", t.replace("T", " "), str(ROUND / rel)], check=True)

if __name__ == "__main__":
    main()
