#!/usr/bin/env python3
"""Red-team corpus 1 for roundup: one round (2024Q3) of submissions as clerks and other tools
produce them (openpyxl, xlwt, odfpy, python-docx, LibreOffice conversions), with ground truth.

Writes   round/2024Q3/*   round/<misplaced file>   round.truth.json   times.json
Deterministic: fixed seeds; zip entry times and document properties fixed for the files written
by python libraries. Files converted by LibreOffice (.xls/.ods/.doc/.et) carry LibreOffice's own
internal timestamps, so their bytes differ between runs (their content does not).

usage: python3 generate.py            (needs openpyxl, xlwt, odfpy, python-docx, soffice)
"""
import datetime as dt
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

import docx
import openpyxl
import xlwt
from docx.shared import Pt
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

HERE = Path(__file__).resolve().parent
OUT = HERE / "round"
RD = OUT / "2024Q3"
REPO = HERE.parents[2]
FIXED = dt.datetime(2024, 10, 8, 9, 0, 0)

T = tomllib.load(open(REPO / "templates" / "tasks.toml", "rb"))
TASKS = {}
for p in T["parts"]:
    for g in p["groups"]:
        for k in g["tasks"]:
            TASKS[k["id"]] = k
LEADS = {}
for k in TASKS.values():
    for u in k["lead"]:
        LEADS.setdefault(u, []).append(k["id"])

truth = {"round": "2024Q3", "rows": [], "files": {}, "missing_units": [], "units_reported": []}
times = {}
SRC = Path(tempfile.mkdtemp(prefix="rt1-src-"))
CONVERT = []  # (src path, target ext, final name)

PROGRESS = [
    "已召开专题推进会{n}次，制定工作方案并明确责任分工。",
    "走访调研重点企业{n}家，梳理企业诉求{m}条，已协调解决{k}条。",
    "会同配合单位出台配套政策文件{k}件，相关举措已落地实施。",
    "完成试点方案起草并征求{n}家单位意见，正在按程序报审。",
    "组织政策宣讲{n}场，覆盖市场主体{m}家。",
    "推动{n}个重点项目签约落地，累计完成投资{m}亿元。",
]
PROBLEMS = ["部分事项需省级部门授权，推进节奏受制约。", "跨部门数据共享机制尚不健全。",
            "企业参与积极性有待提升。", "无", ""]
NEXT = ["加强与省级部门对接，争取政策支持。", "下季度完成方案印发并组织实施。",
        "持续跟踪项目进展，及时总结经验做法。", "开展阶段性评估，形成可复制推广案例。"]


def prog(rng):
    return rng.choice(PROGRESS).format(n=rng.randint(2, 9), m=rng.randint(10, 60), k=rng.randint(1, 5))


def short(tid, n=28):
    t = TASKS[tid]["text"]
    return t[:n] + "……" if len(t) > n else t


def leads(tid):
    return "、".join(TASKS[tid]["lead"])


def row(unit, task, status, percent):
    truth["rows"].append({"unit": unit, "task": task, "status": status, "percent": percent})


def add(name, unit, kind, outcome="used", codes=(), task_codes=(), mtime="2024-10-08T10:00:00", where=RD):
    assert name not in truth["files"], name
    truth["files"][name] = {"unit": unit, "kind": kind, "outcome": outcome, "codes": list(codes),
                            "task_codes": [list(x) for x in task_codes]}
    rel = str((where / name).relative_to(OUT))
    if mtime:
        times[rel] = mtime


def normzip(p):
    """Fix zip entry times (and keep entry order / compression) for reproducible bytes."""
    with zipfile.ZipFile(p) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(p, "w") as z:
        for i, data in items:
            ni = zipfile.ZipInfo(i.filename, date_time=(2024, 10, 8, 9, 0, 0))
            ni.compress_type = i.compress_type
            ni.external_attr = i.external_attr
            if i.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-10-08T01:00:00Z", data)
            z.writestr(ni, data)


def new_wb(sheet="进展情况"):
    wb = openpyxl.Workbook()
    wb.properties.creator = "Administrator"
    wb.properties.lastModifiedBy = "Administrator"
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    ws = wb.active
    ws.title = sheet
    return wb, ws


def save_wb(wb, path):
    wb.save(path)
    normzip(path)


def put(ws, r, values, c0=1):
    for j, v in enumerate(values):
        if v is not None:
            ws.cell(r, c0 + j, v)


def new_doc():
    d = docx.Document()
    cp = d.core_properties
    cp.author = "Administrator"
    cp.last_modified_by = "Administrator"
    cp.created = FIXED
    cp.modified = FIXED
    cp.revision = 1
    st = d.styles["Normal"]
    st.font.name = "仿宋_GB2312"
    st.font.size = Pt(16)
    return d


def save_doc(d, path):
    d.save(path)
    normzip(path)


def doc_table(d, header, rows):
    t = d.add_table(rows=1 + len(rows), cols=len(header))
    t.style = "Table Grid"
    for j, h in enumerate(header):
        t.cell(0, j).text = h
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            t.cell(i + 1, j).text = "" if v is None else str(v)
    return t


CANON = ["序号", "试点任务", "牵头单位", "完成状态", "完成进度（%）", "本期工作进展", "存在问题", "下步计划"]


def canon_sheet(ws, title, unit_line, data, hdr_row=3, header=CANON, pct_fmt=None, rng=None):
    """title row, 填报单位 row, header, rows [(tid, status, pct)] in canonical columns."""
    ws.cell(1, 1, title)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.cell(1, 1).font = Font(name="方正小标宋简体", size=16)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    if unit_line:
        ws.cell(2, 1, unit_line)
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(header))
    put(ws, hdr_row, header)
    r = hdr_row + 1
    for tid, st, pc in data:
        put(ws, r, [tid, short(tid), leads(tid), st, pc, prog(rng), rng.choice(PROBLEMS), rng.choice(NEXT)])
        if pct_fmt and isinstance(pc, (int, float)):
            ws.cell(r, 5).number_format = pct_fmt
        r += 1
    return r


# ---------------------------------------------------------------- spreadsheets, percent formats
def f_keji():
    """市科技局 .ods written by odfpy: percentage-typed cells; EVERY task is 100% (value 1)."""
    from odf.number import Number, PercentageStyle, Text as NText
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P
    rng = random.Random(101)
    unit = "市科技局"
    data = [(1, "常态化推进", 1.0), (13, "已完成", 1.0), (58, "已完成", 1.0), (93, "常态化推进", 1.0)]
    doc = OpenDocumentSpreadsheet()
    ps = PercentageStyle(name="N11")
    ps.addElement(Number(decimalplaces="0", minintegerdigits="1"))
    ps.addElement(NText(text="%"))
    doc.automaticstyles.addElement(ps)
    cs = Style(name="ce_pct", family="table-cell", parentstylename="Default", datastylename="N11")
    doc.automaticstyles.addElement(cs)
    t = Table(name="Sheet1")

    def tr(vals, span_first=0):
        r = TableRow()
        for j, v in enumerate(vals):
            if span_first and j > 0:
                r.addElement(CoveredTableCell())
                continue
            if isinstance(v, float):
                c = TableCell(valuetype="percentage", value=repr(v), stylename=cs)
                c.addElement(P(text=f"{round(v * 100)}%"))
            elif isinstance(v, int):
                c = TableCell(valuetype="float", value=str(v))
                c.addElement(P(text=str(v)))
            else:
                c = TableCell(valuetype="string", numbercolumnsspanned=span_first) if span_first else TableCell(valuetype="string")
                if v:
                    c.addElement(P(text=v))
            r.addElement(c)
        t.addElement(r)

    tr(["南京市科学技术局服务业扩大开放综合试点任务推进情况表（2024年第三季度）"] + [""] * 7, span_first=8)
    tr(["填报单位：市科技局    填报人：王敏    联系电话：83630000    填报日期：2024年10月8日"] + [""] * 7, span_first=8)
    tr(CANON)
    for tid, st, pc in data:
        tr([tid, short(tid), leads(tid), st, pc, prog(rng), rng.choice(PROBLEMS), rng.choice(NEXT)])
        row(unit, tid, st, round(pc * 100))
    doc.spreadsheet.addElement(t)
    name = "附件1 市科技局2024年第三季度任务推进情况表.ods"
    doc.save(str(RD / name))
    normzip(RD / name)
    add(name, unit, "spreadsheet")


def f_gongxin():
    """市工信局 .xls by xlwt: fractions with '0%' and the non-builtin '0.0%' format."""
    rng = random.Random(102)
    unit = "市工信局"
    data = [(5, "推进中", 0.45, "0%"), (6, "推进中", 0.355, "0.0%"), (42, "已完成", 1.0, "0%"),
            (43, "推进中", 0.6, "0%"), (44, "推进中", 0.725, "0.0%"), (55, "常态化推进", 0.9, "0%"),
            (56, "未启动", 0.0, "0%"), (57, "推进中", 0.3, "0%")]
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Sheet1")
    title = xlwt.easyxf("font: bold on, height 320; align: horiz center")
    ws.write_merge(0, 0, 0, 7, "南京市工业和信息化局2024年第三季度服务业扩大开放综合试点任务推进情况", title)
    ws.write_merge(1, 1, 0, 7, "填报单位：市工信局　　填报人：李强　　联系电话：68780000　　填报日期：2024.10.9")
    for j, h in enumerate(CANON):
        ws.write(2, j, h)
    for i, (tid, st, pc, fmt) in enumerate(data):
        r = 3 + i
        vals = [tid, short(tid), leads(tid), st, None, prog(rng), rng.choice(PROBLEMS), rng.choice(NEXT)]
        for j, v in enumerate(vals):
            if v is not None:
                ws.write(r, j, v)
        ws.write(r, 4, pc, xlwt.easyxf(num_format_str=fmt))
        row(unit, tid, st, round(pc * 100, 1))
    name = "市工信局2024年三季度进展情况.xls"
    wb.save(str(RD / name))
    add(name, unit, "spreadsheet")


def f_zhengwu():
    """市政务办 .xls by xlwt: EVERY task 100% stored as 1 with '0.00%' (two of them 常态化推进)."""
    rng = random.Random(103)
    unit = "市政务办"
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("进展情况")
    ws.write_merge(0, 0, 0, 7, "市政务办服务业扩大开放综合试点任务推进情况表")
    ws.write_merge(1, 1, 0, 7, "填报单位：市政务办　填报人：陈静　联系电话：68789999　填报日期：2024年10月9日")
    for j, h in enumerate(CANON):
        ws.write(2, j, h)
    pf = xlwt.easyxf(num_format_str="0.00%")
    for i, (tid, st) in enumerate([(72, "已完成"), (74, "常态化推进"), (76, "已完成"), (77, "常态化推进")]):
        r = 3 + i
        for j, v in enumerate([tid, short(tid), leads(tid), st]):
            ws.write(r, j, v)
        ws.write(r, 4, 1.0, pf)
        ws.write(r, 5, prog(rng))
        ws.write(r, 7, "巩固提升改革成效。")
        row(unit, tid, st, 100)
    name = "市政务办-进展表.xls"
    wb.save(str(RD / name))
    add(name, unit, "spreadsheet")


def f_renshe():
    """市人社局 xlsx: plain numbers 35 / 60; ids as 第10项, 任务11, full-width １９; header in row 4."""
    rng = random.Random(104)
    unit = "市人社局"
    wb, ws = new_wb("Sheet1")
    ws.cell(1, 1, "附件1")
    ws.cell(2, 1, "南京市人力资源和社会保障局服务业扩大开放综合试点任务推进情况表")
    ws.merge_cells("A2:H2")
    ws.cell(3, 1, "填报单位：市人社局    填报人：赵宁    联系电话：84200000    填报日期：2024-10-08")
    ws.merge_cells("A3:H3")
    put(ws, 4, CANON)
    data = [("第10项", 10, "推进中", 35), ("任务11", 11, "推进中", 60), ("１９", 19, "常态化推进", 80)]
    for i, (idtxt, tid, st, pc) in enumerate(data):
        put(ws, 5 + i, [idtxt, short(tid), leads(tid), st, pc, prog(rng), rng.choice(PROBLEMS), rng.choice(NEXT)])
        row(unit, tid, st, pc)
    save_wb(wb, RD / "市人社局2024年第三季度进展情况.xlsx")
    add("市人社局2024年第三季度进展情况.xlsx", unit, "spreadsheet")


def f_jiangbei():
    """江北新区 xlsx: 完成比例 holds fractions 0.3 … 1 in General format (no % format)."""
    rng = random.Random(105)
    unit = "江北新区"
    wb, ws = new_wb("Sheet1")
    hdr = ["序号", "任务内容", "牵头单位", "推进状态", "完成比例", "推进情况", "存在的问题", "下一步计划"]
    data = [(7, "推进中", 0.3), (36, "推进中", 0.55), (37, "已完成", 1), (45, "推进中", 0.8),
            (64, "推进中", 0.45), (65, "未启动", 0)]
    canon_sheet(ws, "南京江北新区服务业扩大开放综合试点任务推进情况表", "填报单位：江北新区管委会（盖章）  填报日期：2024年10月8日",
                data, header=hdr, rng=rng)
    for tid, st, pc in data:
        row(unit, tid, st, round(pc * 100))
    save_wb(wb, RD / "江北新区三季度推进情况表.xlsx")
    add("江北新区三季度推进情况表.xlsx", unit, "spreadsheet")


def f_minzheng_late():
    """市民政局 xlsx: percent 35 displayed through custom format 0"%" (value is 35, not 0.35); late."""
    rng = random.Random(106)
    unit = "市民政局"
    wb, ws = new_wb()
    canon_sheet(ws, "南京市民政局服务业扩大开放综合试点任务推进情况表（2024年第三季度）",
                "填报单位：南京市民政局    填报人：孙丽    联系电话：84230000    填报日期：2024年10月16日",
                [(33, "推进中", 35)], pct_fmt='0"%"', rng=rng)
    row(unit, 33, "推进中", 35)
    save_wb(wb, RD / "南京市民政局进展表.xlsx")
    add("南京市民政局进展表.xlsx", unit, "spreadsheet", codes=["late-submission"], mtime="2024-10-16T15:30:00")


def f_shuiwu():
    """市税务局 xlsx (joint lead of 72): 50 through custom format 0.0"%"; id column headed No."""
    rng = random.Random(107)
    unit = "市税务局"
    wb, ws = new_wb()
    canon_sheet(ws, "国家税务总局南京市税务局试点任务推进情况表", "填报单位：市税务局  填报日期：2024年10月9日",
                [(72, "推进中", 50)], pct_fmt='0.0"%"', rng=rng, header=["No."] + CANON[1:])
    row(unit, 72, "推进中", 50)
    # joint lead 市税务局 says 推进中, primary lead 市政务办 says 已完成
    save_wb(wb, RD / "市税务局-试点任务进展表.xlsx")
    add("市税务局-试点任务进展表.xlsx", unit, "spreadsheet", task_codes=[("status-conflict", 72)])


# ---------------------------------------------------------------- two-row period headers
def period_sheet(ws, title, unit_line, groups, data, rng, first_row=1):
    """groups: list of labels; each group spans 完成状态 / 完成进度; data: (tid, {label: (st, pc)})."""
    r = first_row
    ws.cell(r, 1, title)
    ncol = 2 + 2 * len(groups) + 3
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
    ws.cell(r + 1, 1, unit_line)
    ws.merge_cells(start_row=r + 1, start_column=1, end_row=r + 1, end_column=ncol)
    h1, h2 = r + 2, r + 3
    ws.cell(h1, 1, "序号")
    ws.merge_cells(start_row=h1, start_column=1, end_row=h2, end_column=1)
    ws.cell(h1, 2, "试点任务")
    ws.merge_cells(start_row=h1, start_column=2, end_row=h2, end_column=2)
    c = 3
    for g in groups:
        ws.cell(h1, c, g)
        ws.merge_cells(start_row=h1, start_column=c, end_row=h1, end_column=c + 1)
        ws.cell(h2, c, "完成状态")
        ws.cell(h2, c + 1, "完成进度（%）")
        c += 2
    for lab in ["本期工作进展", "存在问题", "下步计划"]:
        ws.cell(h1, c, lab)
        ws.merge_cells(start_row=h1, start_column=c, end_row=h2, end_column=c)
        c += 1
    rr = h2 + 1
    for tid, vals in data:
        v = [tid, short(tid)]
        for g in groups:
            v += list(vals[g])
        v += [prog(rng), rng.choice(PROBLEMS), rng.choice(NEXT)]
        put(ws, rr, v)
        rr += 1


def f_shangwu():
    """市商务局: upper header 2024年第二季度 / 2024年第三季度 (current LAST); 填报单位（盖章）."""
    rng = random.Random(201)
    unit = "市商务局"
    G = ["2024年第二季度", "2024年第三季度"]
    cur = {38: ("推进中", 70), 46: ("推进中", 55), 70: ("已完成", 100), 79: ("推进中", 60), 81: ("常态化推进", 90),
           82: ("推进中", 65), 83: ("推进中", 40), 84: ("已完成", 100), 85: ("推进中", 75), 86: ("推进中", 80),
           87: ("推进中", 50), 88: ("常态化推进", 85)}
    data = []
    for tid, (st, pc) in cur.items():
        prev = ("推进中", max(pc - 25, 10)) if st != "未启动" else ("未启动", 0)
        if tid == 70:
            prev = ("推进中", 85)
        if tid == 83:
            prev = ("未启动", 0)
        data.append((tid, {G[0]: prev, G[1]: (st, pc)}))
        row(unit, tid, st, pc)
    wb, ws = new_wb("2024Q3")
    period_sheet(ws, "南京市商务局服务业扩大开放综合试点任务推进情况表", "填报单位（盖章）：南京市商务局        填报日期：2024年10月9日",
                 G, data, rng)
    save_wb(wb, RD / "市商务局2024年三季度试点任务推进表.xlsx")
    add("市商务局2024年三季度试点任务推进表.xlsx", unit, "spreadsheet", task_codes=[("status-conflict", 86)])


def f_weijian():
    """市卫健委: upper header 本期 / 上期 (current FIRST); 填报单位 label and value in separate cells;
    percent as fractions with non-builtin '0.0%'."""
    rng = random.Random(202)
    unit = "市卫健委"
    G = ["本期", "上期"]
    cur = {30: ("推进中", 0.6), 32: ("推进中", 0.45), 33: ("推进中", 0.5), 38: ("推进中", 0.7),
           96: ("已完成", 1.0), 97: ("常态化推进", 0.85)}
    prev = {30: ("推进中", 0.4), 32: ("未启动", 0.0), 33: ("推进中", 0.3), 38: ("推进中", 0.5),
            96: ("推进中", 0.8), 97: ("推进中", 0.7)}
    wb, ws = new_wb("卫健委")
    data = [(t, {"本期": cur[t], "上期": prev[t]}) for t in cur]
    period_sheet(ws, "市卫健委2024年第三季度服务业扩大开放综合试点任务推进情况", "", G, data, rng)
    ws.unmerge_cells(start_row=2, start_column=1, end_row=2, end_column=9)
    ws.cell(2, 1, "填报单位：")
    ws.cell(2, 2, "市卫健委")
    ws.cell(2, 5, "填报日期：")
    ws.cell(2, 6, "2024年10月8日")
    for r in range(5, 5 + len(data)):
        ws.cell(r, 4).number_format = "0.0%"
        ws.cell(r, 6).number_format = "0.0%"
    for t, (st, pc) in cur.items():
        row(unit, t, st, round(pc * 100))
    save_wb(wb, RD / "市卫健委-三季度进展.xlsx")
    add("市卫健委-三季度进展.xlsx", unit, "spreadsheet")


def f_tongguan_src():
    """南京通管办: ONE header row whose status / percent columns each appear twice with a bracketed
    period: 完成状态（上季度） 完成状态（本季度） …; written as xlsx, converted to .xls by LibreOffice."""
    rng = random.Random(203)
    unit = "南京通管办（联系省通管局）"
    wb, ws = new_wb("Sheet1")
    hdr = ["序号", "试点任务", "完成状态（上季度）", "完成进度（上季度）", "完成状态（本季度）", "完成进度（本季度）",
           "本期工作进展", "下步计划"]
    ws.cell(1, 1, "南京通管办2024年第三季度试点任务推进情况")
    ws.merge_cells("A1:H1")
    ws.cell(2, 1, "填报单位：南京通管办    填报日期：2024年10月9日")
    ws.merge_cells("A2:H2")
    put(ws, 3, hdr)
    data = {39: (("推进中", 0.5), ("推进中", 0.7)), 40: (("未启动", 0.0), ("推进中", 0.3)),
            41: (("推进中", 0.6), ("已完成", 1.0)), 44: (("推进中", 0.2), ("推进中", 0.4)),
            45: (("推进中", 0.55), ("推进中", 0.65))}
    r = 4
    for tid, (p, c) in data.items():
        put(ws, r, [tid, short(tid), p[0], p[1], c[0], c[1], prog(rng), rng.choice(NEXT)])
        ws.cell(r, 4).number_format = "0%"
        ws.cell(r, 6).number_format = "0%"
        row(unit, tid, c[0], round(c[1] * 100))
        r += 1
    src = SRC / "tongguan.xlsx"
    wb.save(src)
    name = "南京通管办（联系省通管局）2024年三季度进展表.xls"
    CONVERT.append((src, "xls", name))
    add(name, unit, "spreadsheet")


def f_yinhang_src():
    """人行南京营管部: xlsx with '0%' fractions converted to .ods by LibreOffice; official full name."""
    rng = random.Random(204)
    unit = "人行南京营管部"
    wb, ws = new_wb("进展情况")
    data = [(14, "推进中", 0.6), (20, "推进中", 0.5), (22, "常态化推进", 0.9), (23, "推进中", 0.4),
            (24, "推进中", 0.55), (25, "已完成", 1.0), (27, "推进中", 0.7), (28, "推进中", 0.35),
            (29, "已完成", 1.0), (101, "推进中", 0.65), (102, "未启动", 0.0), (103, "推进中", 0.25),
            (104, "常态化推进", 0.8)]
    canon_sheet(ws, "服务业扩大开放综合试点任务推进情况表（2024年第三季度）",
                "填报单位：人行南京营业管理部    填报人：周洋    联系电话：84790000    填报日期：2024年10月10日",
                data, pct_fmt="0%", rng=rng)
    for tid, st, pc in data:
        row(unit, tid, st, round(pc * 100))
    src = SRC / "yinhang.xlsx"
    wb.save(src)
    name = "人民银行南京营管部进展情况.ods"
    CONVERT.append((src, "ods", name))
    add(name, unit, "spreadsheet")


# ---------------------------------------------------------------- two id columns, glosses
def f_wenlv():
    """市文旅局: running 序号 1..5 beside 任务编号 with the registry ids; official full name."""
    rng = random.Random(301)
    unit = "市文旅局"
    wb, ws = new_wb()
    hdr = ["序号", "任务编号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展", "存在问题", "下步计划"]
    ws.cell(1, 1, "服务业扩大开放综合试点任务推进情况表")
    ws.merge_cells("A1:H1")
    ws.cell(2, 1, "填报单位：市文旅局　填报日期：2024年10月8日")
    ws.merge_cells("A2:H2")
    put(ws, 3, hdr)
    data = [(15, "推进中", 50), (47, "推进中", 65), (68, "已完成", 100), (69, "推进中", 40), (71, "常态化推进", 90)]
    for i, (tid, st, pc) in enumerate(data):
        put(ws, 4 + i, [i + 1, tid, short(tid), st, pc, prog(rng), rng.choice(PROBLEMS), rng.choice(NEXT)])
        row(unit, tid, st, pc)
    save_wb(wb, RD / "市文旅局进展表.xlsx")
    add("市文旅局进展表.xlsx", unit, "spreadsheet")


def f_jinrong():
    """市金融局: 序号 running 1..19 (which are themselves ids of 金融局 tasks 2,3,4,9,14!) beside
    任务编号; `完成状态（下拉选择）` with a data-validation list; '0%' fractions; joint lead
    disagreement on task 2 with the primary lead 市市场监管局."""
    rng = random.Random(302)
    unit = "市金融局"
    ids = LEADS[unit]
    vals = {2: ("推进中", 0.5), 3: ("推进中", 0.6), 4: ("推进中", 0.45), 9: ("推进中", 0.7), 14: ("推进中", 0.35),
            20: ("推进中", 0.5), 21: ("已完成", 1.0), 22: ("常态化推进", 0.9), 24: ("推进中", 0.55), 25: ("推进中", 0.75),
            26: ("推进中", 0.4), 27: ("推进中", 0.6), 28: ("未启动", 0.0), 29: ("推进中", 0.3), 61: ("已完成", 1.0),
            101: ("推进中", 0.65), 102: ("推进中", 0.5), 103: ("推进中", 0.2), 104: ("常态化推进", 0.85)}
    wb, ws = new_wb("进展情况")
    hdr = ["序号", "任务编号", "试点任务", "牵头单位", "完成状态（下拉选择）", "完成进度（%）", "本期工作进展", "存在问题",
           "下步计划"]
    ws.cell(1, 1, "市金融局服务业扩大开放综合试点任务推进情况表（2024年第三季度）")
    ws.merge_cells("A1:I1")
    ws.cell(2, 1, "填报单位：市金融局    填报人：刘洋    联系电话：68787777    填报日期：2024年10月9日")
    ws.merge_cells("A2:I2")
    put(ws, 3, hdr)
    dv = DataValidation(type="list", formula1='"未启动,推进中,已完成,常态化推进"', allow_blank=True)
    ws.add_data_validation(dv)
    for i, tid in enumerate(ids):
        st, pc = vals[tid]
        r = 4 + i
        put(ws, r, [i + 1, tid, short(tid), leads(tid), st, pc, prog(rng), rng.choice(PROBLEMS), rng.choice(NEXT)])
        ws.cell(r, 6).number_format = "0%"
        dv.add(ws.cell(r, 5))
        row(unit, tid, st, round(pc * 100))
    save_wb(wb, RD / "附件1 市金融局任务推进情况表（三季度）.xlsx")
    add("附件1 市金融局任务推进情况表（三季度）.xlsx", unit, "spreadsheet", task_codes=[("status-conflict", 2)])


def f_shichang():
    """市市场监管局: official full name in the title rows, alias in 填报单位; header row 5 with the
    contract's own English-gloss examples (完成状态\nStatus, 进度 Progress (%)); plain numbers."""
    rng = random.Random(303)
    unit = "市市场监管局"
    wb, ws = new_wb("Sheet1")
    ws.cell(1, 1, "南京市市场监督管理局")
    ws.merge_cells("A1:H1")
    ws.cell(2, 1, "服务业扩大开放综合试点任务推进情况表（2024年第三季度）")
    ws.merge_cells("A2:H2")
    ws.cell(3, 1, "填报单位：市场监管局")
    ws.cell(3, 6, "填报日期：2024年10月9日")
    hdr = ["序号", "试点任务", "牵头单位", "完成状态\nStatus", "进度 Progress (%)", "本期工作进展", "存在问题", "下步计划"]
    put(ws, 5, hdr)
    data = [(2, "已完成", 100), (3, "推进中", 60), (4, "推进中", 45), (8, "推进中", 50), (9, "推进中", 70),
            (31, "常态化推进", 85), (34, "推进中", 30), (53, "推进中", 55), (73, "已完成", 100), (78, "推进中", 65),
            (80, "未启动", 0)]
    for i, (tid, st, pc) in enumerate(data):
        put(ws, 6 + i, [tid, short(tid), leads(tid), st, pc, prog(rng), rng.choice(PROBLEMS), rng.choice(NEXT)])
        row(unit, tid, st, pc)
    save_wb(wb, RD / "南京市场监管局进展表.xlsx")
    add("南京市场监管局进展表.xlsx", unit, "spreadsheet")


# ---------------------------------------------------------------- other clerk habits
def f_gongan():
    """市公安局: statuses with full-width spaces, percents as text 80％ / 60%, a 合计 row and
    signature rows; joint lead 市外办 disagrees on task 90 (in its Word report)."""
    rng = random.Random(401)
    unit = "市公安局"
    wb, ws = new_wb()
    data = [(89, "　推进中　", "80％", "推进中", 80), (90, "推进中", "60%", "推进中", 60),
            (91, "已完成 ", "100%", "已完成", 100), (98, "常态化推进", "90", "常态化推进", 90)]
    canon_sheet(ws, "南京市公安局服务业扩大开放综合试点任务推进情况表",
                "填报单位：南京市公安局    填报人：吴刚    联系电话：84420000    填报日期：2024年10月8日",
                [(t, s, p) for t, s, p, _, _ in data], rng=rng)
    r = 4 + len(data)
    put(ws, r, ["合计", "4项", None, None, None, None])
    put(ws, r + 2, ["填报人：吴刚", None, None, "审核人：郑伟"])
    for t, _, _, st, pc in data:
        row(unit, t, st, pc)
    save_wb(wb, RD / "市公安局-进展表.xlsx")
    add("市公安局-进展表.xlsx", unit, "spreadsheet")
    # the same file also dropped directly in the inbox root (misplaced)
    shutil.copy(RD / "市公安局-进展表.xlsx", OUT / "市公安局-进展表（副本）.xlsx")
    add("市公安局-进展表（副本）.xlsx", None, None, outcome="skipped", codes=["misplaced-file"], where=OUT)


def f_yuhua():
    """雨花台区: percent formulas without cached values (=30+30), statuses plain."""
    rng = random.Random(402)
    unit = "雨花台区"
    wb, ws = new_wb()
    canon_sheet(ws, "雨花台区服务业扩大开放综合试点任务推进情况表（2024年第三季度）",
                "填报单位：南京市雨花台区人民政府    填报日期：2024年10月8日",
                [(66, "推进中", "=30+30"), (67, "推进中", 25)], rng=rng)
    row(unit, 66, "推进中", "any")
    row(unit, 67, "推进中", 25)
    save_wb(wb, RD / "雨花台区2024年第三季度进展情况.xlsx")
    add("雨花台区2024年第三季度进展情况.xlsx", unit, "spreadsheet", task_codes=[("uncalculated-formula", 66)])


def f_ruanjiangu_src():
    """软件谷 (joint lead of 66/67): formulas recalculated and cached by LibreOffice (xlsx→xlsx)."""
    rng = random.Random(403)
    unit = "软件谷"
    wb, ws = new_wb()
    canon_sheet(ws, "中国（南京）软件谷试点任务推进情况表（2024年第三季度）", "填报单位：软件谷管委会    填报日期：2024年10月8日",
                [(66, "推进中", "=40+20"), (67, "推进中", "=ROUND(0.25*100,0)")], rng=rng)
    row(unit, 66, "推进中", 60)
    row(unit, 67, "推进中", 25)
    src = SRC / "ruanjiangu.xlsx"
    wb.save(src)
    name = "软件谷进展表.xlsx"
    CONVERT.append((src, "xlsx", name))
    add(name, unit, "spreadsheet")


def f_jinling():
    """金陵海关: status cell merged over both rows; 填报日期 as a real date cell (serial); two versions
    on the same date, the one named 修改 wins."""
    rng = random.Random(404)
    unit = "金陵海关"
    for name, pcs, mtime in [("金陵海关进展表.xlsx", (40, 50), "2024-10-09T16:00:00"),
                             ("金陵海关进展表（修改）.xlsx", (45, 55), "2024-10-09T11:00:00")]:
        wb, ws = new_wb()
        ws.cell(1, 1, "金陵海关服务业扩大开放综合试点任务推进情况表")
        ws.merge_cells("A1:H1")
        ws.cell(2, 1, "填报单位：金陵海关")
        ws.cell(2, 5, "填报日期：")
        ws.cell(2, 6, dt.datetime(2024, 10, 9))
        ws.cell(2, 6).number_format = "yyyy/m/d"
        put(ws, 3, CANON)
        for i, tid in enumerate([82, 92]):
            put(ws, 4 + i, [tid, short(tid), leads(tid), None, pcs[i], prog(rng), rng.choice(PROBLEMS), rng.choice(NEXT)])
        ws.cell(4, 4, "推进中")
        ws.merge_cells("D4:D5")
        save_wb(wb, RD / name)
        if "修改" in name:
            add(name, unit, "spreadsheet", mtime=mtime)
            row(unit, 82, "推进中", pcs[0])
            row(unit, 92, "推进中", pcs[1])
        else:
            add(name, unit, "spreadsheet", outcome="superseded", codes=["superseded"], mtime=mtime)


def f_jianwei():
    """市建委: spreadsheet 推进中 70 on task 12; its Word report's table says 已完成 100 → status-conflict,
    the spreadsheet decides."""
    rng = random.Random(405)
    unit = "市建委"
    wb, ws = new_wb()
    canon_sheet(ws, "南京市城乡建设委员会试点任务推进情况表", "填报单位：市建委    填报日期：2024年10月8日",
                [(12, "推进中", 70)], rng=rng)
    row(unit, 12, "推进中", 70)
    save_wb(wb, RD / "市建委2024年第三季度进展情况.xlsx")
    add("市建委2024年第三季度进展情况.xlsx", unit, "spreadsheet")
    d = new_doc()
    d.add_heading("南京市城乡建设委员会关于2024年第三季度服务业扩大开放综合试点任务推进情况的报告", level=1)
    d.add_paragraph("市服务业扩大开放综合试点工作领导小组办公室：")
    d.add_paragraph("一、任务推进情况")
    d.add_paragraph("任务12：" + prog(rng) + "二季度以来，已全面完成建筑师负责制试点工作。")
    d.add_paragraph("二、存在问题")
    d.add_paragraph("部分项目建设单位对建筑师负责制认识不足。")
    d.add_paragraph("附件：任务推进情况表")
    doc_table(d, ["序号", "试点任务", "完成状态", "完成进度（%）", "工作进展"], [[12, short(12), "已完成", "100", "已全面完成。"]])
    name = "市建委关于2024年第三季度试点任务推进情况的报告.docx"
    save_doc(d, RD / name)
    add(name, unit, "report", task_codes=[("status-conflict", 12)])


def f_tongji():
    """市统计局: header cells with a numbering prefix (1.序号 2.试点任务 …); 填报说明 sheet first (with an example header and example row), a hidden 二季度 sheet,
    then the real sheet with header in row 3."""
    rng = random.Random(406)
    unit = "市统计局"
    wb, ws0 = new_wb("填报说明")
    ws0.cell(1, 1, "填报说明：请按下表格式填写，完成状态从下拉列表选择。")
    put(ws0, 3, ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"])
    put(ws0, 4, [51, "（示例）", "已完成", 100, "示例文字"])
    wsh = wb.create_sheet("二季度")
    canon_sheet(wsh, "市统计局试点任务推进情况（2024年第二季度）", "填报单位：市统计局", [(51, "推进中", 40)], rng=rng)
    wsh.sheet_state = "hidden"
    ws = wb.create_sheet("三季度")
    canon_sheet(ws, "南京市统计局服务业扩大开放综合试点任务推进情况（2024年第三季度）",
                "填报单位：南京市统计局    填报日期：2024年10月8日", [(51, "推进中", 60)], rng=rng,
                header=[f"{i + 1}.{h}" for i, h in enumerate(CANON)])
    row(unit, 51, "推进中", 60)
    save_wb(wb, RD / "市统计局三季度进展.xlsx")
    add("市统计局三季度进展.xlsx", unit, "spreadsheet", codes=["hidden-sheet"])


def f_zuzhi():
    """市委组织部（市委人才办）: file named by 市委人才办, content names 中共南京市委组织部;
    percent 1 in General format with status 已完成 (ambiguous 0/1 guess → warning)."""
    rng = random.Random(407)
    unit = "市委组织部（市委人才办）"
    wb, ws = new_wb()
    canon_sheet(ws, "中共南京市委组织部服务业扩大开放综合试点任务推进情况表",
                "填报单位：中共南京市委组织部    填报日期：2024年10月8日", [(62, "已完成", 1)], rng=rng)
    row(unit, 62, "已完成", 100)
    save_wb(wb, RD / "市委人才办2024年第三季度推进情况.xlsx")
    add("市委人才办2024年第三季度推进情况.xlsx", unit, "spreadsheet")


def f_caizheng_src():
    """市财政局: current sheet saved as WPS .et (BIFF8 via LibreOffice), plus a stale 二季度 file."""
    rng = random.Random(408)
    unit = "市财政局"
    wb, ws = new_wb()
    canon_sheet(ws, "南京市财政局试点任务推进情况表（2024年第三季度）", "填报单位：南京市财政局    填报日期：2024年10月9日",
                [(63, "推进中", 0.75), (95, "推进中", 0.5)], pct_fmt="0%", rng=rng)
    row(unit, 63, "推进中", 75)
    row(unit, 95, "推进中", 50)
    src = SRC / "caizheng.xlsx"
    wb.save(src)
    CONVERT.append((src, "xls", "市财政局进展表.et"))
    add("市财政局进展表.et", unit, "spreadsheet")
    wb, ws = new_wb()
    canon_sheet(ws, "南京市财政局试点任务推进情况表（2024年第二季度）", "填报单位：南京市财政局    填报日期：2024年7月8日",
                [(63, "推进中", 40), (95, "未启动", 0)], rng=rng)
    save_wb(wb, RD / "市财政局-2024年第二季度推进情况.xlsx")
    add("市财政局-2024年第二季度推进情况.xlsx", unit, "spreadsheet", outcome="rejected-or-superseded",
        codes=["stale-round"], mtime="2024-07-08T10:00:00")


def f_fagai():
    """市发改委: official full name in title and 填报单位, city prefix in file name; joint lead
    disagreement on 86 (商务局 says 推进中)."""
    rng = random.Random(409)
    unit = "市发改委"
    data = [(6, "推进中", 60), (13, "已完成", 100), (52, "推进中", 50), (57, "推进中", 30), (59, "常态化推进", 80),
            (63, "推进中", 75), (75, "推进中", 65), (86, "已完成", 100), (87, "推进中", 50)]
    wb, ws = new_wb()
    canon_sheet(ws, "南京市发展和改革委员会服务业扩大开放综合试点任务推进情况表（2024年第三季度）",
                "填报单位：南京市发展和改革委员会    填报人：钱进    联系电话：68781234    填报日期：2024年10月9日", data, rng=rng)
    for t, s, p in data:
        row(unit, t, s, p)
    save_wb(wb, RD / "南京市发改委-2024Q3.xlsx")
    add("南京市发改委-2024Q3.xlsx", unit, "spreadsheet")


# ---------------------------------------------------------------- resubmissions
def simple(unit, name, title, unit_line, data, seed, sheet="进展情况"):
    rng = random.Random(seed)
    wb, ws = new_wb(sheet)
    canon_sheet(ws, title, unit_line, data, rng=rng)
    save_wb(wb, RD / name)


def f_resubmissions():
    # 市规划和自然资源局: 初稿 is LATER by 填报日期 but marked draft → loses (rule 1)
    u = "市规划和自然资源局"
    simple(u, "市规划和自然资源局2024年三季度进展（初稿）.xlsx", "南京市规划和自然资源局试点任务推进情况表",
           "填报单位：南京市规划和自然资源局    填报日期：2024年10月9日", [(54, "推进中", 20), (60, "推进中", 40)], 501)
    add("市规划和自然资源局2024年三季度进展（初稿）.xlsx", u, "spreadsheet", "superseded", ["superseded"],
        mtime="2024-10-09T17:00:00")
    simple(u, "市规划和自然资源局2024年三季度进展.xlsx", "南京市规划和自然资源局试点任务推进情况表",
           "填报单位：南京市规划和自然资源局    填报日期：2024年10月8日", [(54, "推进中", 30), (60, "已完成", 100)], 502)
    add("市规划和自然资源局2024年三季度进展.xlsx", u, "spreadsheet", mtime="2024-10-08T10:00:00")
    row(u, 54, "推进中", 30)
    row(u, 60, "已完成", 100)

    # 市司法局: v2 and v3 on the same 填报日期; v2 has the later file time → v3 still wins (rule 3)
    u = "市司法局"
    simple(u, "市司法局进展表v3.xlsx", "南京市司法局试点任务推进情况表", "填报单位：南京市司法局    填报日期：2024年10月9日",
           [(49, "推进中", 65), (50, "常态化推进", 90)], 503)
    add("市司法局进展表v3.xlsx", u, "spreadsheet", mtime="2024-10-09T09:30:00")
    simple(u, "市司法局进展表v2.xlsx", "南京市司法局试点任务推进情况表", "填报单位：南京市司法局    填报日期：2024年10月9日",
           [(49, "推进中", 50), (50, "推进中", 80)], 504)
    add("市司法局进展表v2.xlsx", u, "spreadsheet", "superseded", ["superseded"], mtime="2024-10-09T18:00:00")
    row(u, 49, "推进中", 65)
    row(u, 50, "常态化推进", 90)

    # 市医保局: the file named 最新 is OLDER by 填报日期 → the later date wins (rule 2), with a warning
    u = "市医保局"
    simple(u, "市医保局进展表（最新）.xlsx", "南京市医疗保障局试点任务推进情况表", "填报单位：市医保局    填报日期：2024年10月5日",
           [(21, "推进中", 40), (35, "推进中", 50)], 505)
    add("市医保局进展表（最新）.xlsx", u, "spreadsheet", "superseded", ["superseded"], mtime="2024-10-09T12:00:00")
    simple(u, "市医保局进展表.xlsx", "南京市医疗保障局试点任务推进情况表", "填报单位：市医保局    填报日期：2024年10月9日",
           [(21, "推进中", 55), (35, "已完成", 100)], 506)
    add("市医保局进展表.xlsx", u, "spreadsheet", mtime="2024-10-09T10:00:00")
    row(u, 21, "推进中", 55)
    row(u, 35, "已完成", 100)

    # 市大数据局: no 填报日期 in either; the file time (day) decides (rule 2) before the (2) marker (rule 3)
    u = "市大数据局"
    simple(u, "市大数据局进展表.xlsx", "市大数据局试点任务推进情况表", "填报单位：市大数据局    填报人：冯涛",
           [(43, "推进中", 50), (100, "推进中", 70)], 507)
    add("市大数据局进展表.xlsx", u, "spreadsheet", mtime="2024-10-09T10:00:00")
    simple(u, "市大数据局进展表(2).xlsx", "市大数据局试点任务推进情况表", "填报单位：市大数据局    填报人：冯涛",
           [(43, "推进中", 35), (100, "推进中", 60)], 508)
    add("市大数据局进展表(2).xlsx", u, "spreadsheet", "superseded", ["superseded"], mtime="2024-10-07T10:00:00")
    row(u, 43, "推进中", 50)
    row(u, 100, "推进中", 70)

    # 市教育局: 作废 file is LATER by date → still loses (rule 1)
    u = "市教育局"
    simple(u, "作废-市教育局进展表.xlsx", "南京市教育局试点任务推进情况表", "填报单位：南京市教育局    填报日期：2024年10月10日",
           [(17, "已完成", 100), (18, "已完成", 100), (19, "已完成", 100)], 509)
    add("作废-市教育局进展表.xlsx", u, "spreadsheet", "superseded", ["superseded"], mtime="2024-10-10T10:00:00")
    simple(u, "市教育局进展表.xlsx", "南京市教育局试点任务推进情况表", "填报单位：南京市教育局    填报日期：2024年10月8日",
           [(17, "推进中", 60), (18, "推进中", 45), (19, "常态化推进", 80)], 510)
    add("市教育局进展表.xlsx", u, "spreadsheet", mtime="2024-10-08T10:00:00")
    for t, s, p in [(17, "推进中", 60), (18, "推进中", 45), (19, "常态化推进", 80)]:
        row(u, t, s, p)


# ---------------------------------------------------------------- Word reports
def report_head(d, unit_full, rng, round_title="2024年第三季度"):
    d.add_heading(f"{unit_full}关于{round_title}服务业扩大开放综合试点任务推进情况的报告", level=1)
    d.add_paragraph("市服务业扩大开放综合试点工作领导小组办公室：")
    d.add_paragraph(f"按照领导小组办公室工作要求，现将我单位{round_title}试点任务推进情况报告如下。"
                    "与2024年第二季度相比，各项任务均有新进展。")


def f_word():
    # 市委网信办: Word only; task segments in four spellings; progress table percent as "60%"
    rng = random.Random(601)
    u = "市委网信办"
    d = new_doc()
    report_head(d, "中共南京市委网络安全和信息化委员会办公室", rng)
    d.add_paragraph("一、总体情况")
    d.add_paragraph("我办牵头的4项试点任务均按计划推进。")
    d.add_paragraph("二、任务推进情况")
    d.add_paragraph("任务94：" + prog(rng))
    d.add_paragraph("第95项：" + prog(rng))
    d.add_paragraph("（任务98）" + prog(rng))
    d.add_paragraph("99. " + prog(rng))
    d.add_paragraph("三、典型案例")
    d.add_paragraph("案例一：数据出境安全评估“一站式”服务")
    d.add_paragraph("为企业提供申报辅导，已指导12家企业完成申报。")
    d.add_paragraph("四、存在问题")
    d.add_paragraph("数据跨境流动规则仍需国家层面细化。")
    d.add_paragraph("五、下一步工作")
    d.add_paragraph("持续开展数据出境安全评估申报辅导。")
    d.add_paragraph("附件：任务推进情况表")
    data = [(94, "推进中", 60), (95, "推进中", 45), (98, "常态化推进", 85), (99, "已完成", 100)]
    doc_table(d, ["序号", "试点任务", "牵头单位", "完成状态", "完成进度（%）", "本期工作进展"],
              [[t, short(t), leads(t), s, f"{p}%", prog(rng)] for t, s, p in data])
    for t, s, p in data:
        row(u, t, s, p)
    name = "市委网信办关于2024年第三季度试点任务推进情况的报告.docx"
    save_doc(d, RD / name)
    add(name, u, "report")

    # 市外办: Word only, joint lead of 89-91 (primary 市公安局); disagrees on 90
    rng = random.Random(602)
    u = "市外办"
    d = new_doc()
    report_head(d, "南京市人民政府外事办公室", rng)
    d.add_paragraph("一、任务推进情况")
    d.add_paragraph("【任务89】" + prog(rng))
    d.add_paragraph("【任务90】" + prog(rng) + "该项工作已全面完成。")
    d.add_paragraph("【任务91】" + prog(rng))
    d.add_paragraph("二、下步计划")
    d.add_paragraph("继续配合市公安局做好外籍人员服务保障。")
    data = [(89, "推进中", 80), (90, "已完成", 100), (91, "已完成", 100)]
    doc_table(d, ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"],
              [[t, short(t), s, p, prog(rng)] for t, s, p in data])
    for t, s, p in data:
        row(u, t, s, p)
    name = "南京市外办试点任务推进情况报告.docx"
    save_doc(d, RD / name)
    add(name, u, "report", task_codes=[("status-conflict", 90)])

    # 南京边检站: Word only, table whose first row is a merged title, status via 状态
    rng = random.Random(603)
    u = "南京边检站"
    d = new_doc()
    report_head(d, "南京出入境边防检查站", rng)
    d.add_paragraph("一、任务推进情况")
    d.add_paragraph("第92项：" + prog(rng))
    t = d.add_table(rows=3, cols=5)
    t.style = "Table Grid"
    a = t.cell(0, 0).merge(t.cell(0, 4))
    a.text = "南京边检站试点任务推进情况表"
    for j, h in enumerate(["序号", "试点任务", "状态", "进度", "推进情况"]):
        t.cell(1, j).text = h
    for j, v in enumerate([92, short(92), "推进中", "50", prog(rng)]):
        t.cell(2, j).text = str(v)
    row(u, 92, "推进中", 50)
    name = "南京边检站关于三季度工作推进情况的报告.docx"
    save_doc(d, RD / name)
    add(name, u, "report")

    # 国家（南京）临空经济示范区: .doc (converted by LibreOffice), half-width brackets in the name
    rng = random.Random(604)
    u = "国家（南京）临空经济示范区"
    d = new_doc()
    report_head(d, "国家(南京)临空经济示范区", rng)
    d.add_paragraph("一、任务推进情况")
    d.add_paragraph("（任务16）" + prog(rng))
    d.add_paragraph("二、存在问题")
    d.add_paragraph("航线资源恢复不及预期。")
    doc_table(d, ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"], [[16, short(16), "推进中", "55", prog(rng)]])
    row(u, 16, "推进中", 55)
    src = SRC / "linkong.docx"
    save_doc(d, src)
    name = "临空经济示范区三季度报告.doc"
    CONVERT.append((src, "doc", name))
    add(name, u, "report")

    # 市委宣传部: .doc converted from docx; table ids written 任务48
    rng = random.Random(605)
    u = "市委宣传部"
    d = new_doc()
    report_head(d, "中共南京市委宣传部", rng)
    d.add_paragraph("一、任务推进情况")
    d.add_paragraph("任务48：" + prog(rng))
    doc_table(d, ["任务编号", "任务名称", "进展状态", "完成率", "工作推进情况"], [["任务48", short(48), "推进中", "70%", prog(rng)]])
    row(u, 48, "推进中", 70)
    src = SRC / "xuanchuan.docx"
    save_doc(d, src)
    name = "市委宣传部2024年第三季度工作报告.doc"
    CONVERT.append((src, "doc", name))
    add(name, u, "report")


def f_more_periods():
    """More period-header variants and a form copied from last quarter."""
    # 市生态环境局 (joint lead of 23): 上季度 / 本季度, current LAST
    rng = random.Random(205)
    u = "市生态环境局"
    wb, ws = new_wb()
    period_sheet(ws, "市生态环境局试点任务推进情况表", "填报单位：市生态环境局    填报日期：2024年10月8日", ["上季度", "本季度"],
                 [(23, {"上季度": ("未启动", 0), "本季度": ("推进中", 40)})], rng)
    row(u, 23, "推进中", 40)
    save_wb(wb, RD / "市生态环境局2024年第三季度推进情况.xlsx")
    add("市生态环境局2024年第三季度推进情况.xlsx", u, "spreadsheet")
    # 南京禄口机场海关 (joint lead of 16): 2024年三季度 / 2024年二季度 (no 第), current FIRST
    rng = random.Random(206)
    u = "南京禄口机场海关"
    G = ["2024年三季度", "2024年二季度"]
    wb, ws = new_wb()
    period_sheet(ws, "南京禄口机场海关试点任务推进情况表", "填报单位：南京禄口机场海关    填报日期：2024年10月9日", G,
                 [(16, {G[0]: ("推进中", 55), G[1]: ("推进中", 35)})], rng)
    row(u, 16, "推进中", 55)
    save_wb(wb, RD / "南京禄口机场海关进展表.xlsx")
    add("南京禄口机场海关进展表.xlsx", u, "spreadsheet")
    # 南京边检站: last quarter's form reused — the groups are 2024年第一季度 / 2024年第二季度 only;
    # no group matches the round → header-not-found (or stale-round), never the first group.
    rng = random.Random(207)
    u = "南京边检站"
    G = ["2024年第一季度", "2024年第二季度"]
    wb, ws = new_wb()
    period_sheet(ws, "南京边检站试点任务推进情况表", "填报单位：南京边检站    填报日期：2024年10月9日", G,
                 [(92, {G[0]: ("推进中", 20), G[1]: ("推进中", 35)})], rng)
    save_wb(wb, RD / "南京边检站进展表.xlsx")
    add("南京边检站进展表.xlsx", u, "spreadsheet", outcome="rejected", codes=["header-not-found", "stale-round"])


def f_yinhang_report():
    """人行南京营管部 narrative report whose title carries the official full name only."""
    rng = random.Random(606)
    d = new_doc()
    report_head(d, "中国人民银行南京分行营业管理部", rng)
    d.add_paragraph("一、任务推进情况")
    for t in (14, 20, 22, 23):
        d.add_paragraph(f"任务{t}：" + prog(rng))
    d.add_paragraph("二、存在问题")
    d.add_paragraph("跨境金融服务平台应用场景有待拓展。")
    name = "营业管理部关于三季度试点任务推进情况的报告.docx"
    save_doc(d, RD / name)
    add(name, "人行南京营管部", "report")


def noise():
    (RD / "~$市公安局-进展表.xlsx").write_bytes(b"\x0cAdministrator" + b"\x00" * 40)
    add("~$市公安局-进展表.xlsx", None, None, outcome="skipped")
    (RD / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 60)
    add("Thumbs.db", None, None, outcome="skipped")


def convert():
    prof = Path(tempfile.mkdtemp(prefix="rt1-lo-"))
    by_ext = {}
    for src, ext, name in CONVERT:
        by_ext.setdefault(ext, []).append((src, name))
    if "doc" in by_ext:
        # LibreOffice 7.4 drops python-docx tables on a direct docx→doc export; go through .odt
        # (which keeps them) as a clerk re-saving in WPS/LibreOffice would.
        oo = SRC / "out-odt"
        oo.mkdir(exist_ok=True)
        subprocess.run(["soffice", f"-env:UserInstallation=file://{prof}", "--headless", "--convert-to", "odt",
                        "--outdir", str(oo)] + [str(s) for s, _ in by_ext["doc"]], check=True, capture_output=True, timeout=300)
        by_ext["doc"] = [(oo / (s.stem + ".odt"), n) for s, n in by_ext["doc"]]
    for ext, items in by_ext.items():
        od = SRC / ("out-" + ext)
        od.mkdir(exist_ok=True)
        filt = {"xls": "xls:MS Excel 97", "ods": "ods", "doc": "doc:MS Word 97", "xlsx": "xlsx:Calc MS Excel 2007 XML"}[ext]
        subprocess.run(["soffice", f"-env:UserInstallation=file://{prof}", "--headless", "--convert-to", filt,
                        "--outdir", str(od)] + [str(s) for s, _ in items], check=True, capture_output=True, timeout=300)
        for src, name in items:
            shutil.move(str(od / (src.stem + "." + ext)), str(RD / name))
            if ext in ("ods", "xlsx"):
                normzip(RD / name)
    shutil.rmtree(prof, ignore_errors=True)


def main():
    if OUT.exists():
        shutil.rmtree(OUT)
    RD.mkdir(parents=True)
    for f in [f_keji, f_gongxin, f_zhengwu, f_renshe, f_jiangbei, f_minzheng_late, f_shuiwu, f_shangwu,
              f_weijian, f_tongguan_src, f_yinhang_src, f_wenlv, f_jinrong, f_shichang, f_gongan, f_yuhua,
              f_ruanjiangu_src, f_jinling, f_jianwei, f_tongji, f_zuzhi, f_caizheng_src, f_fagai,
              f_resubmissions, f_word, f_more_periods, f_yinhang_report, noise]:
        f()
    convert()
    reported = sorted({f["unit"] for f in truth["files"].values() if f["unit"]})
    truth["units_reported"] = reported
    delegated = {"市大数据集团"}
    truth["missing_units"] = sorted(u for u in LEADS if u not in reported and u not in delegated)
    truth["rows"].sort(key=lambda r: (r["unit"], r["task"]))
    for r in truth["rows"]:
        assert r["unit"] in TASKS[r["task"]]["lead"], r
    with open(HERE / "round.truth.json", "w", encoding="utf-8") as fh:
        json.dump(truth, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    with open(HERE / "times.json", "w", encoding="utf-8") as fh:
        json.dump(dict(sorted(times.items())), fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    for rel, t in times.items():
        ts = dt.datetime.fromisoformat(t).timestamp()
        os.utime(OUT / rel, (ts, ts))
    shutil.rmtree(SRC, ignore_errors=True)
    print(f"{len(truth['files'])} files, {len(truth['rows'])} rows, missing {truth['missing_units']}")


if __name__ == "__main__":
    main()
