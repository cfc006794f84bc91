#!/usr/bin/env python3
"""Red-team corpus 3 (round 2025Q2): Word 97-2003 .doc and WPS .wps reports.
Most reports are written with python-docx (raw OOXML where python-docx lacks a feature: tracked
changes, fields, footnotes, text boxes, numbered lists, repeated header rows) and converted with
LibreOffice to .doc (plain `doc`, `doc:MS Word 97`, via odt, via rtf; some renamed .wps).
usage: python3 generate.py   (needs openpyxl, xlwt, python-docx, soffice)
Writes round/2025Q2/..., round.truth.json, times.json next to this file. The .docx each .doc was
converted from is kept in $RT3_DOCX (default /tmp/rt3-docx) for a .doc-vs-.docx comparison."""
import json, os, re, random, shutil, subprocess, tempfile, tomllib, zipfile, io, datetime
from pathlib import Path
import openpyxl, xlwt
from openpyxl.styles import Alignment, Font
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.opc.constants import RELATIONSHIP_TYPE as RT

HERE = Path(__file__).resolve().parent
ROUND = HERE / "round"
RD = ROUND / "2025Q2"
DOCX_EQ = Path(os.environ.get("RT3_DOCX", "/tmp/rt3-docx")) / "2025Q2"
REG = tomllib.load(open(HERE / "../../../templates/tasks.toml", "rb"))
TASK, GROUP = {}, {}
for p in REG["parts"]:
    for g in p["groups"]:
        for t in g["tasks"]:
            TASK[t["id"]] = t; GROUP[t["id"]] = (p["number"], g["number"])
TITLE = "2025年第二季度"
TRUTH = {"round": "2025Q2", "rows": [], "files": {}, "missing_units": []}
TIMES = {}
DEFAULT_T = "2025-07-07T10:00:00"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

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
def longprog(rng): return "".join(prog(rng) for _ in range(6))

CANON = ["序号", "试点任务", "牵头单位", "完成状态", "完成进度（%）", "本期工作进展", "项目落地情况", "案例报送", "存在问题", "下步计划", "政策诉求", "备注"]
FIXED = datetime.datetime(2025, 7, 3, 9, 0, 0)

def fixzip(p):
    p = Path(p); buf = io.BytesIO()
    with zipfile.ZipFile(p) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for i in zin.infolist():
            data = zin.read(i.filename)
            if i.filename in ("docProps/core.xml", "docProps/app.xml", "meta.xml"):
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2025-07-03T09:00:00Z", data)
            zi = zipfile.ZipInfo(i.filename, (2025, 7, 3, 9, 0, 0)); zi.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(zi, data)
    p.write_bytes(buf.getvalue())

# ---------------------------------------------------------------- spreadsheets
def new_wb(sheet="进展情况"):
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = sheet
    wb.properties.created = wb.properties.modified = FIXED; wb.properties.creator = "Administrator"
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

def xlsx_unit(u, full, data, seed, name):
    rng = random.Random(seed); wb, ws = new_wb()
    title_rows(ws, f"{u}服务业扩大开放综合试点任务{TITLE}推进情况表", f"填报单位：{full}    填报人：张伟    联系电话：84000000    填报日期：2025年7月3日")
    put(ws, 3, CANON)
    for i, r in enumerate(canon_rows(data, rng)): put(ws, 4 + i, r)
    for t, s, p in data: row(u, t, s, p)
    dest = RD / name; save_wb(wb, dest); add(dest, u, "spreadsheet")

def xls_unit(u, full, data, seed, name):
    rng = random.Random(seed)
    w = xlwt.Workbook(encoding="utf-8"); ws = w.add_sheet("Sheet1")
    ws.write(0, 0, f"{u}{TITLE}试点任务推进情况"); ws.write(1, 0, f"填报单位：{full}  填报日期：2025年7月2日")
    hdr = ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"]
    for i, h in enumerate(hdr): ws.write(2, i, h)
    for r, (t, s, p) in enumerate(data, 3):
        for i, v in enumerate([t, TASK[t]["text"], s, p, prog(rng)]): ws.write(r, i, v)
        row(u, t, s, p)
    dest = RD / name; dest.parent.mkdir(parents=True, exist_ok=True); w.save(str(dest)); add(dest, u, "spreadsheet")

# ---------------------------------------------------------------- Word helpers
def new_doc():
    d = Document()
    d.core_properties.created = d.core_properties.modified = FIXED
    d.core_properties.author = "Administrator"; d.core_properties.last_modified_by = "Administrator"
    return d

def doc_table(d_or_cell, header, rows):
    t = d_or_cell.add_table(rows=1 + len(rows), cols=len(header))
    try: t.style = "Table Grid"
    except Exception: pass
    for i, h in enumerate(header): set_cell(t.cell(0, i), h)
    for r, vals in enumerate(rows, 1):
        for i, v in enumerate(vals): set_cell(t.cell(r, i), v)
    return t

def set_cell(cell, v):
    """text; '\n' becomes a soft line break (w:br) inside one paragraph"""
    v = "" if v is None else str(v)
    p = cell.paragraphs[0]
    for extra in cell.paragraphs[1:]: extra._p.getparent().remove(extra._p)
    for r in list(p.runs): r._r.getparent().remove(r._r)
    parts = v.split("\n")
    for i, s in enumerate(parts):
        run = p.add_run(s)
        if i < len(parts) - 1: run.add_break()

def cell_xml(cell, inner):
    """replace the cell's first paragraph content by raw runs"""
    p = cell.paragraphs[0]._p
    for ch in list(p):
        if ch.tag != qn("w:pPr"): p.remove(ch)
    for el in parse_xml(f'<w:root {W} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">{inner}</w:root>'):
        p.append(el)

def para_xml(par, inner):
    for el in parse_xml(f'<w:root {W} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">{inner}</w:root>'):
        par._p.append(el)

def tc_del(old, new, rid):
    return (f'<w:del w:id="{rid}" w:author="王敏" w:date="2025-07-02T10:00:00Z"><w:r><w:delText>{old}</w:delText></w:r></w:del>'
            f'<w:ins w:id="{rid + 1}" w:author="王敏" w:date="2025-07-02T10:00:00Z"><w:r><w:t>{new}</w:t></w:r></w:ins>')

def field(code, result):
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {code} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r><w:t>{result}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')

def date_line(d, full, date="2025年7月3日", fld=False):
    p = d.add_paragraph(f"填报单位：{full}    填报人：李娜    联系电话：83000000    填报日期：")
    if fld: para_xml(p, field('CREATEDATE \\@ "yyyy年M月d日"', date))
    else: p.add_run(date)
    return p

def footer_page(d):
    p = d.sections[0].footer.paragraphs[0]; p.text = "— "
    para_xml(p, field("PAGE", "1") + "<w:r><w:t xml:space=\"preserve\"> —</w:t></w:r>")

def repeat_header(table):
    trPr = table.rows[0]._tr.get_or_add_trPr()
    trPr.append(parse_xml(f'<w:tblHeader {W}/>'))

def add_numbering(d, fmt, text, start=1, ilvl_fmt=None):
    """a new abstractNum (single level) + num; returns numId"""
    numbering = d.part.numbering_part.element
    aid = 900 + len(numbering.findall(qn("w:abstractNum")))
    nid = 900 + len(numbering.findall(qn("w:num")))
    a = parse_xml(f'<w:abstractNum {W} w:abstractNumId="{aid}"><w:multiLevelType w:val="singleLevel"/>'
                  f'<w:lvl w:ilvl="0"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
                  '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="640"/></w:pPr></w:lvl></w:abstractNum>')
    first_num = numbering.find(qn("w:num"))
    if first_num is not None: first_num.addprevious(a)
    else: numbering.append(a)
    numbering.append(parse_xml(f'<w:num {W} w:numId="{nid}"><w:abstractNumId w:val="{aid}"/></w:num>'))
    return nid

def numbered(d, text, nid, style=None):
    p = d.add_paragraph(text, style=style)
    pPr = p._p.get_or_add_pPr()
    pPr.append(parse_xml(f'<w:numPr {W}><w:ilvl w:val="0"/><w:numId w:val="{nid}"/></w:numPr>'))
    return p

def text_box(par, text):
    par._p.append(parse_xml(
        f'<w:r {W}><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" id="tb1" type="#_x0000_t202" '
        f'style="width:420pt;height:60pt"><v:textbox><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p>'
        '</w:txbxContent></v:textbox></v:shape></w:pict></w:r>'))

FOOTNOTES_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes ' + W + '>'
                 '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                 '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
                 '%s</w:footnotes>')

def footnote_ref(fid):
    return f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="{fid}"/></w:r>'

def inject_footnotes(path, notes):
    """add word/footnotes.xml (notes: {id: text}) to a saved docx"""
    body = "".join(f'<w:footnote w:id="{i}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
                   f'<w:r><w:t xml:space="preserve"> {t}</w:t></w:r></w:p></w:footnote>' for i, t in notes.items())
    p = Path(path); buf = io.BytesIO()
    with zipfile.ZipFile(p) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for i in zin.infolist():
            data = zin.read(i.filename)
            if i.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
            if i.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdFn1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>')
            zout.writestr(i, data)
        zout.writestr("word/footnotes.xml", (FOOTNOTES_XML % body).encode("utf-8"))
    p.write_bytes(buf.getvalue())

def soffice(src, fmt, outdir):
    outdir = Path(outdir); outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run(["soffice", "--headless", "--convert-to", fmt, "--outdir", str(outdir), str(src)],
                   check=True, capture_output=True, timeout=180)

def save_word(d, dest, how="doc", post=None):
    """save d as docx, optionally patch it (post(path)), then convert to dest:
    how = 'doc' | 'doc97' (doc:MS Word 97) | 'odt' (docx→odt→doc) | 'rtf' (docx→rtf→doc) | 'docx'"""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as td:
        td = Path(td); src = td / "src.docx"; d.save(src)
        if post: post(src)
        fixzip(src)
        DOCX_EQ.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, DOCX_EQ / (dest.stem + ".docx"))
        if how == "docx":
            shutil.copy(src, dest); return
        if how in ("odt", "rtf"):
            soffice(src, how, td / "m"); mid = td / "m" / f"src.{how}"
            soffice(mid, "doc:MS Word 97", td / "o")
        else:
            soffice(src, "doc:MS Word 97" if how == "doc97" else "doc", td / "o")
        shutil.copy(td / "o" / "src.doc", dest)

def heading(d, text): return d.add_heading(text, 1)

# ---------------------------------------------------------------- units
def f_keji():
    """.doc; header synonyms; ids 第1项/任务13/full-width ５８; percent ％; + an 初稿 copy (superseded)"""
    u = "市科技局"; rng = random.Random(1)
    data = [("第1项", 1, "已完成", "100％", 100), ("任务13", 13, "推进中", "６５%", 65), ("５８", 58, "正在实施", "40", 40), ("93", 93, "常态化推进", "90%", 90)]
    for draft in (False, True):
        d = new_doc()
        heading(d, f"南京市科学技术局关于{TITLE}服务业扩大开放综合试点任务推进情况的报告")
        date_line(d, "南京市科学技术局", "2025年7月4日" if draft else "2025年7月3日")
        d.add_paragraph("一、任务推进情况")
        rows = [[i, short(t), s if not draft else "推进中", p if not draft else "30", prog(rng), "无", "持续推进"] for i, t, s, p, _ in data]
        doc_table(d, ["任务编号", "任务名称", "推进状态", "完成比例", "工作推进情况", "存在的问题", "下一步工作"], rows)
        d.add_paragraph("二、存在问题"); d.add_paragraph("科技成果赋权改革涉及国有资产管理规定，需上级部门明确。")
        name = "市科技局二季度试点任务推进情况报告（初稿）.doc" if draft else "市科技局二季度试点任务推进情况报告.doc"
        dest = RD / name; save_word(d, dest, "doc")
        if draft: add(dest, u, "report", outcome="superseded", codes=["superseded"], mtime="2025-07-04T09:00:00")
        else: add(dest, u, "report", mtime="2025-07-03T16:00:00")
    for _, t, s, _, p in data: row(u, t, {"正在实施": "推进中"}.get(s, s), p)

def f_shichang():
    """.doc; long table over several pages with a repeated header row (w:tblHeader); vertically merged 牵头单位 and 完成状态;
    unit name in the page header"""
    u = "市市场监管局"; rng = random.Random(2)
    data = [(2, "推进中", 60), (3, "推进中", 55), (4, "推进中", 50), (8, "已完成", 100), (9, "常态化推进", 85), (31, "推进中", 40),
            (34, "未启动", 0), (53, "推进中", 70), (73, "已完成", 100), (78, "推进中", 35), (80, "常态化推进", 90)]
    d = new_doc()
    d.sections[0].header.paragraphs[0].text = "南京市市场监督管理局"
    heading(d, f"关于{TITLE}服务业扩大开放综合试点任务推进情况的报告")
    date_line(d, "南京市市场监督管理局")
    d.add_paragraph("一、任务推进情况")
    t = doc_table(d, ["序号", "试点任务", "牵头单位", "完成状态", "完成进度（%）", "本期工作进展"],
                  [[tk, TASK[tk]["text"], leads(tk), s, p, longprog(rng)] for tk, s, p in data])
    repeat_header(t)
    a = t.cell(1, 2).merge(t.cell(3, 2)); set_cell(a, "市市场监管局、市金融局")
    b = t.cell(2, 3).merge(t.cell(3, 3)); set_cell(b, "推进中")
    footer_page(d)
    d.add_paragraph("二、下步计划"); d.add_paragraph("继续推进知识产权金融服务。")
    dest = RD / "市场监管局二季度推进情况.doc"; save_word(d, dest, "doc"); add(dest, u, "report")
    for tk, s, p in data: row(u, tk, s, p)

def f_jinrong():
    """.wps (a .doc renamed); a group row spanning all columns (gridSpan) inside the table"""
    u = "市金融局"; rng = random.Random(3)
    data = [(21, "推进中", 45), (24, "常态化推进", 80), (25, "推进中", 30), (26, "已完成", 100), (27, "未启动", 0),
            (28, "推进中", 55), (29, "已完成", 100), (61, "推进中", 65), (102, "常态化推进", 85), (103, "已完成", 100)]
    d = new_doc()
    heading(d, f"南京市地方金融监督管理局关于{TITLE}服务业扩大开放综合试点任务推进情况的报告")
    date_line(d, "南京市地方金融监督管理局")
    hdr = ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"]
    rows = []
    groups = {21: "（五）金融服务领域", 61: "（十二）其他领域", 102: "（十七）金融开放"}
    for tk, s, p in data:
        if tk in groups: rows.append([groups[tk], "", "", "", ""])
        rows.append([tk, short(tk), s, p, prog(rng)])
    t = doc_table(d, hdr, rows)
    for i, r in enumerate(rows, 1):
        if r[1] == "":
            m = t.cell(i, 0).merge(t.cell(i, 4)); set_cell(m, r[0])
    dest = RD / "金融局2025年二季度推进情况.wps"; save_word(d, dest, "doc97"); add(dest, u, "report")
    for tk, s, p in data: row(u, tk, s, p)

def f_gongxin():
    """.doc; a table for 5/6/57 continued after a page break by a header-less table for 55/56; and, under 二、重点任务推进情况, automatic numbered-list headings starting at 42
    (the '42.' is list numbering, not typed) each followed by a narrative paragraph"""
    u = "市工信局"; rng = random.Random(4)
    data = [(5, "推进中", 60), (6, "推进中", 50), (55, "已完成", 100), (56, "常态化推进", 85), (57, "推进中", 45)]
    d = new_doc()
    heading(d, f"南京市工业和信息化局关于{TITLE}服务业扩大开放综合试点任务推进情况的报告")
    date_line(d, "南京市工业和信息化局")
    d.add_paragraph("一、任务推进情况表")
    first = [x for x in data if x[0] in (5, 6, 57)]; rest = [x for x in data if x[0] not in (5, 6, 57)]
    doc_table(d, ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"], [[t, short(t), s, p, prog(rng)] for t, s, p in first])
    # the table continues on the next page without its header row (the clerk split it with Ctrl+Shift+Enter)
    d.add_page_break()
    cont = d.add_table(rows=len(rest), cols=5); cont.style = "Table Grid"
    for r, (t, s, p) in enumerate(rest):
        for c, v in enumerate([t, short(t), s, p, prog(rng)]): set_cell(cont.cell(r, c), v)
    d.add_paragraph("二、重点任务推进情况")
    nid = add_numbering(d, "decimal", "%1.", start=42)
    for t in (42, 43, 44):
        numbered(d, short(t, 24), nid)
        d.add_paragraph(f"本季度{prog(rng)}目前该项任务正在推进。")
    d.add_paragraph("三、存在问题"); d.add_paragraph("数据跨境流动规则尚待细化。")
    dest = RD / "市工信局关于二季度试点任务推进情况的报告.doc"; save_word(d, dest, "doc"); add(dest, u, "report")
    for t, s, p in data: row(u, t, s, p)
    for t in (42, 43, 44): row(u, t, "any", "any")

def f_fagai():
    """.doc; tracked changes: deleted old percent / inserted new one, deleted status + inserted status,
    a whole deleted row (old line for task 52) followed by its replacement; a comment on a percent; 填报日期 as a CREATEDATE field"""
    u = "市发改委"; rng = random.Random(5)
    data = [(13, "推进中", 70), (52, "未启动", 0), (57, "常态化推进", 80), (59, "推进中", 60), (63, "推进中", 35),
            (75, "已完成", 100), (86, "常态化推进", 85), (87, "推进中", 25)]
    d = new_doc()
    heading(d, f"南京市发展和改革委员会关于{TITLE}服务业扩大开放综合试点任务推进情况的报告")
    date_line(d, "南京市发展和改革委员会", fld=True)
    hdr = ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"]
    rows = [[t, short(t), s, p, prog(rng)] for t, s, p in data]
    rows.insert(1, [52, short(52), "推进中", 30, "（旧）已召开对接会。"])
    t = doc_table(d, hdr, rows)
    # row 2 (old 52) deleted as a tracked change
    tr = t.rows[2]._tr; trPr = tr.get_or_add_trPr()
    trPr.append(parse_xml(f'<w:del {W} w:id="501" w:author="王敏" w:date="2025-07-02T10:00:00Z"/>'))
    k = 600
    for tc in tr.findall(qn("w:tc")):
        for r in list(tc.iter(qn("w:r"))):
            for tt in r.findall(qn("w:t")): tt.tag = qn("w:delText")
            par = r.getparent(); par.remove(r); k += 1
            dl = parse_xml(f'<w:del {W} w:id="{k}" w:author="王敏" w:date="2025-07-02T10:00:00Z"/>'); dl.append(r); par.append(dl)
    # row of 59: percent 40 -> 60 ; row of 75: status 推进中 -> 已完成, percent 80 -> 100
    ix = {r[0]: i for i, r in enumerate(rows, 1) if i != 2}
    cell_xml(t.cell(ix[59], 3), tc_del("40", "60", 701))
    cell_xml(t.cell(ix[75], 2), tc_del("推进中", "已完成", 703))
    cell_xml(t.cell(ix[75], 3), tc_del("80", "100", 705))
    c = t.cell(ix[63], 3); d.add_comment(c.paragraphs[0].runs, text="上季度为20%，本季度按新口径测算为35%。", author="王敏", initials="WM")
    dest = RD / "发改委试点任务推进情况（修订）.doc"; save_word(d, dest, "doc"); add(dest, u, "report")
    for t_, s, p in data: row(u, t_, s, p)

def f_jiangbei():
    """.doc made docx→rtf→doc; comparison table: two-row header, periods 2025年第一季度 / 2025年第二季度 over repeated columns"""
    u = "江北新区"; rng = random.Random(6)
    data = [(7, ("推进中", 40), ("推进中", 60)), (36, ("未启动", 0), ("推进中", 20)), (37, ("推进中", 70), ("已完成", 100)),
            (64, ("推进中", 50), ("推进中", 65)), (65, ("常态化推进", 80), ("常态化推进", 85))]
    d = new_doc()
    heading(d, f"南京江北新区管理委员会关于{TITLE}服务业扩大开放综合试点任务推进情况的报告")
    date_line(d, "南京江北新区管理委员会")
    d.add_paragraph("任务推进情况对照表")
    t = d.add_table(rows=2 + len(data), cols=7); t.style = "Table Grid"
    for i, h in enumerate(["序号", "试点任务", "2025年第一季度", "", "2025年第二季度", "", "本期工作进展"]): set_cell(t.cell(0, i), h)
    for i, h in enumerate(["", "", "完成状态", "完成进度（%）", "完成状态", "完成进度（%）", ""]): set_cell(t.cell(1, i), h)
    for r, (tk, (s1, p1), (s2, p2)) in enumerate(data, 2):
        for i, v in enumerate([tk, short(tk), s1, p1, s2, p2, prog(rng)]): set_cell(t.cell(r, i), v)
    for c0 in (0, 1, 6):
        m = t.cell(0, c0).merge(t.cell(1, c0)); set_cell(m, ["序号", "试点任务", "", "", "", "", "本期工作进展"][c0])
    m = t.cell(0, 2).merge(t.cell(0, 3)); set_cell(m, "2025年第一季度")
    m = t.cell(0, 4).merge(t.cell(0, 5)); set_cell(m, "2025年第二季度")
    dest = RD / "江北新区二季度试点任务推进情况.doc"; save_word(d, dest, "rtf"); add(dest, u, "report")
    for tk, _, (s, p) in data: row(u, tk, s, p)

def f_renshe():
    """.doc made docx→odt→doc; the unit is named only in the page header (letterhead); generic file name"""
    u = "市人社局"; rng = random.Random(7)
    data = [(10, "推进中", 55), (11, "推进中", 40), (19, "已完成", 100)]
    d = new_doc()
    d.sections[0].header.paragraphs[0].text = "南京市人力资源和社会保障局"
    heading(d, f"关于{TITLE}服务业扩大开放综合试点任务推进情况的报告")
    d.add_paragraph("市服务业扩大开放综合试点工作领导小组办公室：")
    doc_table(d, ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"], [[t, short(t), s, p, prog(rng)] for t, s, p in data])
    dest = RD / "二季度试点任务推进情况报告.doc"; save_word(d, dest, "odt"); add(dest, u, "report")
    for t, s, p in data: row(u, t, s, p)

def f_yinhang():
    """.doc (doc:MS Word 97); footnote references right after numbers in table cells; comments whose text holds other numbers"""
    u = "人行南京营管部"; rng = random.Random(8)
    data = [(14, "推进中", 60), (20, "推进中", 75), (22, "常态化推进", 80), (23, "推进中", 45), (101, "已完成", 100), (104, "未启动", 0)]
    d = new_doc()
    heading(d, f"中国人民银行南京分行营业管理部关于{TITLE}服务业扩大开放综合试点任务推进情况的报告")
    date_line(d, "中国人民银行南京分行营业管理部")
    hdr = ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"]
    t = doc_table(d, hdr, [[tk, short(tk), s, p, prog(rng)] for tk, s, p in data])
    # footnote after the percent of task 20 and after the id of task 23
    cell_xml(t.cell(2, 3), "<w:r><w:t>75</w:t></w:r>" + footnote_ref(1))
    cell_xml(t.cell(4, 0), "<w:r><w:t>23</w:t></w:r>" + footnote_ref(2))
    c = t.cell(3, 2); d.add_comment(c.paragraphs[0].runs, text="二季度起按常态化推进填报，上季度进度为65%。", author="审核人", initials="SH")
    c = t.cell(1, 2); d.add_comment(c.paragraphs[0].runs, text="建议改为已完成，待分管领导确认。", author="审核人", initials="SH")
    c = t.cell(1, 3); d.add_comment(c.paragraphs[0].runs, text="含已签约未落地项目3个，剔除后约为40%。", author="审核人", initials="SH")
    d.add_paragraph("二、存在问题"); d.add_paragraph("跨境业务需总行批复。")
    dest = RD / "营管部二季度试点任务推进情况报告.doc"
    save_word(d, dest, "doc97", post=lambda p: inject_footnotes(p, {1: "按2025年6月末口径，较一季度（35%）提高40个百分点。", 2: "与市生态环境局共同牵头，第23项进度为45%。"}))
    add(dest, u, "report")
    for tk, s, p in data: row(u, tk, s, p)

def f_wenlv():
    """.doc; full-width digits, ％, statuses with extra words, an empty percent cell"""
    u = "市文旅局"; rng = random.Random(9)
    rows = [("１５", 15, "推进中（按计划推进）", "６５％", "推进中", 65), ("47", 47, "已完成（已验收）", "100％", "已完成", 100),
            ("６８", 68, "常态化推进", "", "常态化推进", None), ("69", 69, "未启动", "０", "未启动", 0),
            ("７１", 71, "正在推进中", "４５％", "推进中", 45)]
    d = new_doc()
    heading(d, f"南京市文化和旅游局关于{TITLE}服务业扩大开放综合试点任务推进情况的报告")
    date_line(d, "南京市文化和旅游局", "２０２５年７月２日")
    doc_table(d, ["序号", "试点任务", "完成状态", "完成进度（％）", "本期工作进展"], [[a, short(t), s, p, prog(rng)] for a, t, s, p, _, _ in rows])
    dest = RD / "文旅局2025年第二季度工作报告.doc"; save_word(d, dest, "doc"); add(dest, u, "report")
    for _, t, _, _, s, p in rows: row(u, t, s, p)

def f_weijian():
    """.doc; header cells with soft line breaks and English gloss; 96/97 share merged status and percent cells; hyperlink in progress;
    hidden text (w:vanish): last quarter's row for task 30 hidden above this quarter's, and task 32's old percent hidden in an otherwise empty cell"""
    u = "市卫健委"; rng = random.Random(10)
    data = [(30, "推进中", 50), (32, "推进中", None), (96, "常态化推进", 90), (97, "常态化推进", 90)]
    d = new_doc()
    heading(d, f"南京市卫生健康委员会关于{TITLE}服务业扩大开放综合试点任务推进情况的报告")
    date_line(d, "南京市卫生健康委员会")
    old30 = [30, short(30), "未启动", 20, "（一季度）尚未开展。"]
    t = doc_table(d, ["序号\nNo.", "试点任务\nTask", "完成\n状态", "完成进度\nProgress (%)", "本期工作进展\nProgress"],
                  [old30] + [[tk, short(tk), s, p, prog(rng)] for tk, s, p in data])
    # row 1: last quarter's line for task 30 kept as hidden text (w:vanish) above this quarter's line
    for c, v in enumerate(old30): cell_xml(t.cell(1, c), f'<w:r><w:rPr><w:vanish/></w:rPr><w:t>{v}</w:t></w:r>')
    # task 32: the percent cell shows nothing; last quarter's "30" is still there as hidden text
    cell_xml(t.cell(3, 3), '<w:r><w:rPr><w:vanish/></w:rPr><w:t>30</w:t></w:r>')
    m = t.cell(4, 2).merge(t.cell(5, 2)); set_cell(m, "常态化推进")
    m = t.cell(4, 3).merge(t.cell(5, 3)); set_cell(m, "90")
    rid = d.part.relate_to("http://wjw.nanjing.gov.cn/", RT.HYPERLINK, is_external=True)
    cell_xml(t.cell(2, 4), f'<w:r><w:t xml:space="preserve">已在门户网站公开，详见 </w:t></w:r><w:hyperlink r:id="{rid}"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr><w:t>wjw.nanjing.gov.cn 第2期</w:t></w:r></w:hyperlink><w:r><w:t>。</w:t></w:r>')
    dest = RD / "卫健委二季度推进情况报告.doc"; save_word(d, dest, "doc"); add(dest, u, "report")
    for tk, s, p in data: row(u, tk, s, p)

def f_xuanchuan():
    """.doc narrative only (no table): 【任务48】 paragraph"""
    u = "市委宣传部"
    d = new_doc()
    heading(d, f"中共南京市委宣传部关于{TITLE}服务业扩大开放综合试点任务推进情况的报告")
    d.add_paragraph("市服务业扩大开放综合试点工作领导小组办公室：")
    d.add_paragraph("现将我部牵头任务推进情况报告如下。")
    d.add_paragraph("一、任务推进情况")
    d.add_paragraph("【任务48】本季度组织重点文化企业参加境外展会3场，推动2个文化贸易项目签约，目前该任务正在推进。")
    d.add_paragraph("二、存在问题"); d.add_paragraph("文化出口企业规模偏小。")
    d.add_paragraph("三、下步计划"); d.add_paragraph("继续培育文化贸易主体。")
    dest = RD / "市委宣传部二季度工作报告.doc"; save_word(d, dest, "doc"); add(dest, u, "report")
    row(u, 48, "any", "any")

def f_sifa():
    """.doc; the unit is named only in the report title (a Heading 1); no 填报单位; generic file name"""
    u = "市司法局"; rng = random.Random(11)
    data = [(49, "推进中", 65), (50, "常态化推进", 90)]
    d = new_doc()
    heading(d, f"南京市司法局关于{TITLE}服务业扩大开放综合试点任务推进情况的报告")
    tb = doc_table(d, ["编号", "任务内容", "状态", "进度", "进展情况"], [["", short(t), s, p, prog(rng)] for t, s, p in data])
    nid = add_numbering(d, "decimal", "%1", start=49)   # the 编号 column is Word automatic numbering: 49, 50
    for r in (1, 2):
        tb.cell(r, 0).paragraphs[0]._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {W}><w:ilvl w:val="0"/><w:numId w:val="{nid}"/></w:numPr>'))
    dest = RD / "二季度报告.doc"; save_word(d, dest, "doc"); add(dest, u, "report")
    for t, s, p in data: row(u, t, s, p)

def f_yuhua():
    """.doc; title, 填报单位 and 填报日期 are rows of the table itself (merged across), the header is row 3"""
    u = "雨花台区"; rng = random.Random(12)
    data = [(66, "推进中", 70), (67, "已完成", 100)]
    d = new_doc()
    t = d.add_table(rows=3 + len(data), cols=5); t.style = "Table Grid"
    m = t.cell(0, 0).merge(t.cell(0, 4)); set_cell(m, f"雨花台区服务业扩大开放综合试点任务推进情况表（{TITLE}）")
    m = t.cell(1, 0).merge(t.cell(1, 4)); set_cell(m, "填报单位：南京市雨花台区人民政府    填报日期：2025年7月3日")
    for i, h in enumerate(["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"]): set_cell(t.cell(2, i), h)
    for r, (tk, s, p) in enumerate(data, 3):
        for i, v in enumerate([tk, short(tk), s, p, prog(rng)]): set_cell(t.cell(r, i), v)
        # status as Word check boxes: Wingdings symbol characters (w:sym), F0FE checked, F0A8 unchecked
        cell_xml(t.cell(r, 2), "".join(f'<w:r><w:sym w:font="Wingdings" w:char="{"F0FE" if k == s else "F0A8"}"/></w:r><w:r><w:t xml:space="preserve">{k} </w:t></w:r>'
                                       for k in ("未启动", "推进中", "已完成", "常态化推进")))
    dest = RD / "雨花台区进展情况表.doc"; save_word(d, dest, "doc"); add(dest, u, "report")
    for tk, s, p in data: row(u, tk, s, p)

def f_zhengwu():
    """.wps written by LibreOffice as MS Word 97; header synonyms; status synonyms; soft line break in progress; 62.5%"""
    u = "市政务办"; rng = random.Random(13)
    rows = [(72, "已落实", "100", "已完成", 100), (74, "持续推进", "80", "常态化推进", 80), (76, "进行中", "62.5%", "推进中", 62.5), (77, "未开始", "0", "未启动", 0)]
    d = new_doc()
    heading(d, f"南京市政务服务管理办公室关于{TITLE}服务业扩大开放综合试点任务推进情况的报告")
    date_line(d, "南京市政务服务管理办公室", "2025年7月5日")
    doc_table(d, ["任务序号", "改革试点任务", "进展状态", "完成率", "进展情况"], [[t, short(t), s, p, prog(rng) + "\n" + prog(rng)] for t, s, p, _, _ in rows])
    dest = RD / "政务办二季度推进情况（修改）.wps"; save_word(d, dest, "doc97"); add(dest, u, "report", mtime="2025-07-05T15:00:00")
    for t, _, _, s, p in rows: row(u, t, s, p)

def f_gongan():
    """.doc; percent of task 90 is a formula field { =3/5*100 } showing 60; PAGE field in footer; CREATEDATE date"""
    u = "市公安局"; rng = random.Random(14)
    data = [(89, "推进中", 50), (90, "推进中", 60), (91, "已完成", 100), (98, "推进中", 40)]
    d = new_doc()
    heading(d, f"南京市公安局关于{TITLE}服务业扩大开放综合试点任务推进情况的报告")
    date_line(d, "南京市公安局", fld=True)
    t = doc_table(d, ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"], [[tk, short(tk), s, p, prog(rng)] for tk, s, p in data])
    cell_xml(t.cell(2, 3), field("=3/5*100", "60"))
    # task 98: last quarter's status kept as hidden text (w:vanish) in its own paragraph above the visible one,
    # and the old percent as a hidden run after the visible one
    c = t.cell(4, 2); hp = c.paragraphs[0]._p; hid = parse_xml(f'<w:p {W}><w:r><w:rPr><w:vanish/></w:rPr><w:t>未启动</w:t></w:r></w:p>'); hp.addprevious(hid)
    cell_xml(t.cell(4, 3), '<w:r><w:t>40</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>（一季度30）</w:t></w:r>')
    footer_page(d)
    dest = RD / "公安局二季度工作报告.doc"; save_word(d, dest, "doc"); add(dest, u, "report")
    for tk, s, p in data: row(u, tk, s, p)
    return {tk: s for tk, s, _ in data}

def f_waiban():
    """.doc; the report title (naming the unit) only inside a text box; generic file name"""
    u = "市外办"; rng = random.Random(15)
    data = [(89, "推进中", 50), (90, "推进中", 55), (91, "已完成", 100)]
    d = new_doc()
    text_box(d.add_paragraph(), f"南京市人民政府外事办公室关于{TITLE}试点任务推进情况的报告")
    d.add_paragraph("一、任务推进情况")
    doc_table(d, ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"], [[t, short(t), s, p, prog(rng)] for t, s, p in data])
    dest = RD / "关于2025年第二季度试点任务推进情况的报告.doc"; save_word(d, dest, "doc"); add(dest, u, "report")
    for t, s, p in data: row(u, t, s, p)

def f_wangxin():
    """.doc (doc:MS Word 97); progress table nested inside a one-column layout table"""
    u = "市委网信办"; rng = random.Random(16)
    data = [(94, "推进中", 55), (95, "已完成", 100), (98, "推进中", 40), (99, "常态化推进", 85)]
    d = new_doc()
    heading(d, f"中共南京市委网络安全和信息化委员会办公室关于{TITLE}服务业扩大开放综合试点任务推进情况的报告")
    date_line(d, "中共南京市委网络安全和信息化委员会办公室")
    frame = d.add_table(rows=1, cols=1)          # page frame (layout) table
    outer = frame.cell(0, 0).add_table(rows=2, cols=1); outer.style = "Table Grid"
    set_cell(outer.cell(0, 0), "附表：任务推进情况")
    doc_table(outer.cell(1, 0), ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"], [[t, short(t), s, p, prog(rng)] for t, s, p in data])
    dest = RD / "网信办二季度报告.doc"; save_word(d, dest, "doc97"); add(dest, u, "report")
    for t, s, p in data: row(u, t, s, p)

def f_linkong():
    """.doc; section headings as automatic Chinese-counting list (一、二、三、), typed none; the old percent struck through"""
    u = "国家（南京）临空经济示范区"; rng = random.Random(17)
    d = new_doc()
    heading(d, f"国家（南京）临空经济示范区关于{TITLE}服务业扩大开放综合试点任务推进情况的报告")
    date_line(d, "国家（南京）临空经济示范区")
    nid = add_numbering(d, "chineseCounting", "%1、")
    numbered(d, "任务推进情况", nid)
    tb = doc_table(d, ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"], [[16, short(16), "推进中", 60, prog(rng)]])
    # the old percent struck through (manual strikethrough, not a tracked change) before the new one
    cell_xml(tb.cell(1, 3), '<w:r><w:rPr><w:strike/></w:rPr><w:t>45</w:t></w:r><w:r><w:t xml:space="preserve"> 60</w:t></w:r>')
    numbered(d, "存在问题", nid); d.add_paragraph("航权谈判由国家层面推进，本地推动空间有限，3条新航线待批。")
    numbered(d, "下步计划", nid); d.add_paragraph("争取新开2条国际航线，进度力争达到80%。")
    dest = RD / "临空经济示范区二季度报告.doc"; save_word(d, dest, "doc"); add(dest, u, "report")
    row(u, 16, "推进中", 60)

def f_jianwei():
    """.doc; last quarter's table (captioned 2025年第一季度, 对照) before this quarter's table"""
    u = "市建委"; rng = random.Random(18)
    d = new_doc()
    heading(d, f"南京市城乡建设委员会关于{TITLE}服务业扩大开放综合试点任务推进情况的报告")
    date_line(d, "南京市城乡建设委员会")
    hdr = ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"]
    d.add_paragraph("表1  2025年第一季度任务推进情况（供对照）")
    doc_table(d, hdr, [[12, short(12), "推进中", 40, "完成建筑师负责制试点方案起草。"]])
    d.add_paragraph(f"表2  {TITLE}任务推进情况")
    doc_table(d, hdr, [[12, short(12), "推进中", 70, prog(rng)]])
    dest = RD / "市建委二季度报告.doc"; save_word(d, dest, "doc"); add(dest, u, "report")
    row(u, 12, "推进中", 70)

def f_minzheng():
    """.doc made docx→rtf→doc; status 已办结"""
    u = "市民政局"; rng = random.Random(19)
    d = new_doc()
    heading(d, f"南京市民政局关于{TITLE}服务业扩大开放综合试点任务推进情况的报告")
    date_line(d, "南京市民政局")
    doc_table(d, ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"], [[33, short(33), "已办结", "100%", prog(rng)]])
    dest = RD / "民政局二季度报告.doc"; save_word(d, dest, "rtf"); add(dest, u, "report")
    row(u, 33, "已完成", 100)

def f_tongji():
    """.wps renamed from a LibreOffice .doc; 未启动 / 0"""
    u = "市统计局"; rng = random.Random(20)
    d = new_doc()
    heading(d, f"南京市统计局关于{TITLE}服务业扩大开放综合试点任务推进情况的报告")
    date_line(d, "南京市统计局")
    doc_table(d, ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"], [[51, short(51), "未启动", 0, "正在研究统计口径。"]])
    dest = RD / "统计局二季度报告.wps"; save_word(d, dest, "doc"); add(dest, u, "report")
    row(u, 51, "未启动", 0)

def f_yibao():
    """.docx control: tracked changes (the same habit as 发改委's .doc)"""
    u = "市医保局"; rng = random.Random(21)
    d = new_doc()
    heading(d, f"南京市医疗保障局关于{TITLE}服务业扩大开放综合试点任务推进情况的报告")
    date_line(d, "南京市医疗保障局")
    t = doc_table(d, ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"], [[21, short(21), "推进中", 50, prog(rng)], [35, short(35), "已完成", 100, prog(rng)]])
    cell_xml(t.cell(1, 3), tc_del("30", "50", 801))
    dest = RD / "医保局二季度报告.docx"; save_word(d, dest, "docx"); add(dest, u, "report")
    row(u, 21, "推进中", 50); row(u, 35, "已完成", 100)

def nested_if(inner_code, inner_result, rest, result):
    """{ IF { inner } rest } showing result"""
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> IF </w:instrText></w:r>'
            + field(inner_code, inner_result) + f'<w:r><w:instrText xml:space="preserve"> {rest} </w:instrText></w:r>'
            f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{result}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')

def f_docx_plain(u, full, data, seed, name, patch=None):
    rng = random.Random(seed); d = new_doc()
    heading(d, f"{full}关于{TITLE}服务业扩大开放综合试点任务推进情况的报告")
    date_line(d, full)
    t = doc_table(d, ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"], [[t, short(t), s, p, prog(rng)] for t, s, p in data])
    if patch: patch(t)
    dest = RD / name; save_word(d, dest, "docx"); add(dest, u, "report")
    for t, s, p in data: row(u, t, s, p)

def f_bianjian():
    """an RTF file named .doc (what WordPad / some OA systems save)"""
    u = "南京边检站"; rng = random.Random(40); d = new_doc()
    heading(d, f"南京出入境边防检查站关于{TITLE}服务业扩大开放综合试点任务推进情况的报告")
    date_line(d, "南京出入境边防检查站")
    doc_table(d, ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"], [[92, short(92), "推进中", 70, prog(rng)]])
    dest = RD / "边检站二季度报告.doc"; dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as td:
        src = Path(td) / "src.docx"; d.save(src); fixzip(src); soffice(src, "rtf", td); shutil.copy(Path(td) / "src.rtf", dest)
    add(dest, u, "report"); row(u, 92, "推进中", 70)

def f_shengtai():
    """an HTML file named .doc (a 'Web page' saved with the .doc extension, as OA systems export)"""
    u = "市生态环境局"; rng = random.Random(41); d = new_doc()
    heading(d, f"南京市生态环境局关于{TITLE}服务业扩大开放综合试点任务推进情况的报告")
    date_line(d, "南京市生态环境局")
    doc_table(d, ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"], [[23, short(23), "推进中", 45, prog(rng)]])
    dest = RD / "生态环境局二季度报告.doc"; dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as td:
        src = Path(td) / "src.docx"; d.save(src); fixzip(src); soffice(src, "html", td)
        html = (Path(td) / "src.html").read_text(encoding="utf-8")
        html = re.sub(r'<meta name="(created|changed)" content="[^"]*"/?>', "", html)
        dest.write_text(html, encoding="utf-8")
    add(dest, u, "report"); row(u, 23, "推进中", 45)

def f_ruanjian():
    """a .docx renamed to .doc (a clerk renaming to satisfy an upload form)"""
    u = "软件谷"; rng = random.Random(42); d = new_doc()
    heading(d, f"中国（南京）软件谷管理委员会关于{TITLE}服务业扩大开放综合试点任务推进情况的报告")
    date_line(d, "中国（南京）软件谷管理委员会")
    doc_table(d, ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"], [[66, short(66), "推进中", 70, prog(rng)], [67, short(67), "已完成", 100, prog(rng)]])
    dest = RD / "软件谷二季度报告.doc"; save_word(d, dest, "docx"); add(dest, u, "report")
    row(u, 66, "推进中", 70); row(u, 67, "已完成", 100)

def f_shuiwu():
    """.wps (LibreOffice MS Word 97); the progress table sits inside a text box"""
    u = "市税务局"; rng = random.Random(43); d = new_doc()
    heading(d, f"国家税务总局南京市税务局关于{TITLE}服务业扩大开放综合试点任务推进情况的报告")
    date_line(d, "国家税务总局南京市税务局")
    cells = "".join(f'<w:tc><w:tcPr><w:tcW w:w="1600" w:type="dxa"/></w:tcPr><w:p><w:r><w:t>{v}</w:t></w:r></w:p></w:tc>' for v in ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"])
    cells2 = "".join(f'<w:tc><w:tcPr><w:tcW w:w="1600" w:type="dxa"/></w:tcPr><w:p><w:r><w:t>{v}</w:t></w:r></w:p></w:tc>' for v in [72, short(72, 12), "已完成", 100, prog(rng)])
    tbl = ('<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="8000" w:type="dxa"/></w:tblPr><w:tblGrid>' + '<w:gridCol w:w="1600"/>' * 5 +
           f'</w:tblGrid><w:tr>{cells}</w:tr><w:tr>{cells2}</w:tr></w:tbl>')
    p = d.add_paragraph()
    p._p.append(parse_xml(f'<w:r {W}><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" id="tb2" type="#_x0000_t202" style="width:440pt;height:160pt">'
                          f'<v:textbox><w:txbxContent>{tbl}<w:p/></w:txbxContent></v:textbox></v:shape></w:pict></w:r>'))
    dest = RD / "税务局二季度报告.wps"; save_word(d, dest, "doc97"); add(dest, u, "report")
    row(u, 72, "已完成", 100)

ENTS = "".join(f'<w:listEntry w:val="{k}"/>' for k in ("未启动", "推进中", "已完成", "常态化推进"))
def formdropdown(name, idx):
    return (f'<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="{name}"/><w:enabled/><w:calcOnExit w:val="0"/>'
            f'<w:ddList><w:result w:val="{idx}"/>{ENTS}</w:ddList></w:ffData></w:fldChar></w:r>'
            '<w:r><w:instrText xml:space="preserve"> FORMDROPDOWN </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')
def formcheckbox(name, on, label):
    return (f'<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="{name}"/><w:enabled/><w:calcOnExit w:val="0"/>'
            f'<w:checkBox><w:sizeAuto/><w:default w:val="{1 if on else 0}"/></w:checkBox></w:ffData></w:fldChar></w:r>'
            '<w:r><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
            f'<w:r><w:t xml:space="preserve">{label} </w:t></w:r>')
def sdt_dropdown(val):
    items = "".join(f'<w:listItem w:displayText="{k}" w:value="{k}"/>' for k in ("未启动", "推进中", "已完成", "常态化推进"))
    return f'<w:sdt><w:sdtPr><w:dropDownList>{items}</w:dropDownList></w:sdtPr><w:sdtContent><w:r><w:t>{val}</w:t></w:r></w:sdtContent></w:sdt>'

def f_jiaoyu():
    """.doc made from a Word form: status as a legacy drop-down form field (17), a content-control drop-down (18),
    legacy check-box form fields (19)"""
    u = "市教育局"; rng = random.Random(44); d = new_doc()
    heading(d, f"南京市教育局关于{TITLE}服务业扩大开放综合试点任务推进情况的报告")
    date_line(d, "南京市教育局")
    data = [(17, "推进中", 60), (18, "推进中", 55), (19, "已完成", 100)]
    t = doc_table(d, ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"], [[tk, short(tk), "", p, prog(rng)] for tk, s, p in data])
    cell_xml(t.cell(1, 2), formdropdown("状态17", 1))
    cell_xml(t.cell(2, 2), sdt_dropdown("推进中"))
    cell_xml(t.cell(3, 2), "".join(formcheckbox(f"c19_{i}", k == "已完成", k) for i, k in enumerate(("未启动", "推进中", "已完成", "常态化推进"))))
    dest = RD / "市教育局二季度报告.doc"; save_word(d, dest, "doc"); add(dest, u, "report")
    for tk, s, p in data: row(u, tk, s, p)

def f_guihua_stale():
    """last quarter's .doc sent again (title and 填报日期 name 2025年第一季度), beside this quarter's spreadsheet"""
    u = "市规划和自然资源局"; rng = random.Random(45); d = new_doc()
    heading(d, "南京市规划和自然资源局关于2025年第一季度服务业扩大开放综合试点任务推进情况的报告")
    date_line(d, "南京市规划和自然资源局", "2025年4月3日")
    doc_table(d, ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"], [[54, short(54), "推进中", 30, prog(rng)], [60, short(60), "推进中", 60, prog(rng)]])
    dest = RD / "规划资源局工作报告.doc"; save_word(d, dest, "doc")
    add(dest, u, "report", outcome="rejected-or-superseded", codes=["stale-round"])

def f_zhengwu_rev():
    """政务办's first .doc (7月3日); its corrected .wps (修改, 7月5日) wins"""
    u = "市政务办"; rng = random.Random(46)
    rows = [(72, "推进中", 90), (74, "常态化推进", 80), (76, "推进中", 40), (77, "未启动", 0)]
    d = new_doc()
    heading(d, f"南京市政务服务管理办公室关于{TITLE}服务业扩大开放综合试点任务推进情况的报告")
    date_line(d, "南京市政务服务管理办公室", "2025年7月3日")
    doc_table(d, ["任务序号", "改革试点任务", "进展状态", "完成率", "进展情况"], [[t, short(t), s, p, prog(rng)] for t, s, p in rows])
    dest = RD / "政务办二季度推进情况.doc"; save_word(d, dest, "doc")
    add(dest, u, "report", outcome="superseded", codes=["superseded"], mtime="2025-07-03T15:00:00")

def f_shangwu():
    """.doc; last quarter's table and this quarter's side by side in a 2x2 layout table, the period captions in the
    layout row above them (上季度（2025年第一季度） | 本季度（2025年第二季度）)"""
    u = "市商务局"; rng = random.Random(30)
    q2 = [(38, "推进中", 40), (46, "推进中", 70), (70, "已完成", 100), (79, "推进中", 45), (81, "常态化推进", 80),
          (82, "推进中", 60), (83, "推进中", 55), (84, "常态化推进", 85), (85, "已完成", 100), (88, "推进中", 65)]
    q1 = [(t, "推进中" if s != "常态化推进" else s, max(0, p - 25) if s != "常态化推进" else p - 5) for t, s, p in q2]
    d = new_doc()
    heading(d, f"南京市商务局关于{TITLE}服务业扩大开放综合试点任务推进情况的报告")
    date_line(d, "南京市商务局")
    d.add_paragraph("一、任务推进情况（与上季度对照）")
    lay = d.add_table(rows=2, cols=2)
    set_cell(lay.cell(0, 0), "上季度（2025年第一季度）"); set_cell(lay.cell(0, 1), "本季度（2025年第二季度）")
    doc_table(lay.cell(1, 0), ["序号", "完成状态", "完成进度（%）"], [[t, s, p] for t, s, p in q1])
    doc_table(lay.cell(1, 1), ["序号", "完成状态", "完成进度（%）", "本期工作进展"], [[t, s, p, prog(rng)] for t, s, p in q2])
    dest = RD / "市商务局二季度推进情况（对照）.doc"; save_word(d, dest, "doc"); add(dest, u, "report")
    for t, s, p in q2: row(u, t, s, p)

ENCRYPT_XBA = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub Encrypt(src As String, dst As String, pw As String)
  Dim a(0) As New com.sun.star.beans.PropertyValue
  a(0).Name = &quot;Hidden&quot; : a(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(src), &quot;_blank&quot;, 0, a())
  Dim b(1) As New com.sun.star.beans.PropertyValue
  b(0).Name = &quot;FilterName&quot; : b(0).Value = &quot;MS Word 97&quot;
  b(1).Name = &quot;Password&quot; : b(1).Value = pw
  doc.storeToURL(ConvertToURL(dst), b())
  doc.close(True)
End Sub
</script:module>
"""

def f_tongji_encrypted():
    """a password-protected Word 97 .doc (RC4 CryptoAPI, written by LibreOffice with a password) beside the unit's .wps"""
    u = "市统计局"; d = new_doc()
    heading(d, f"南京市统计局关于{TITLE}服务业扩大开放综合试点任务推进情况的报告")
    date_line(d, "南京市统计局", "2025年7月2日")
    doc_table(d, ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"], [[51, short(51), "推进中", 10, "正在研究统计口径。"]])
    dest = RD / "市统计局二季度报告（加密）.doc"
    with tempfile.TemporaryDirectory() as td:
        td = Path(td); src = td / "src.docx"; d.save(src); fixzip(src); prof = td / "profile"
        env = ["soffice", f"-env:UserInstallation=file://{prof}", "--headless"]
        subprocess.run(env + ["--terminate_after_init"], capture_output=True, timeout=120)
        (prof / "user/basic/Standard/Module1.xba").write_text(ENCRYPT_XBA, encoding="utf-8")
        out = td / "enc.doc"
        subprocess.run(env + [f'macro:///Standard.Module1.Encrypt("{src}","{out}","123456")'], capture_output=True, timeout=120)
        shutil.copy(out, dest)
    add(dest, u, "report", outcome="rejected", codes=["encrypted-file"], mtime="2025-07-02T10:00:00")

def others():
    xls_unit("南京通管办（联系省通管局）", "南京通管办", [(39, "推进中", 50), (40, "推进中", 45), (41, "已完成", 100), (45, "未启动", 0)], 31, "通管办进展表.xls")
    xlsx_unit("市规划和自然资源局", "南京市规划和自然资源局", [(54, "推进中", 50), (60, "常态化推进", 80)], 33, "规划资源局进展表.xlsx")
    xlsx_unit("金陵海关", "中华人民共和国金陵海关", [(82, "推进中", 60), (92, "推进中", 70)], 34, "金陵海关二季度进展表.xlsx")
    xlsx_unit("南京禄口机场海关", "中华人民共和国南京禄口机场海关", [(16, "推进中", 60)], 35, "禄口机场海关进展表.xlsx")
    f_docx_plain("市大数据局", "南京市大数据管理局", [(43, "推进中", 50), (100, "常态化推进", 80)], 36, "大数据局二季度报告.docx")
    f_docx_plain("市委组织部（市委人才办）", "中共南京市委组织部", [(62, "推进中", 60)], 37, "市委组织部二季度报告.docx")
    f_docx_plain("市财政局", "南京市财政局", [(63, "推进中", 35), (95, "已完成", 100)], 38, "财政局二季度报告.docx",
                 # .docx control: task 63's percent is a nested field { IF { =7/20 } > 0.5 "50" "35" } showing 35 (inner result 0.35)
                 patch=lambda t: cell_xml(t.cell(1, 3), nested_if("=7/20", "0.35", '&gt; 0.5 "50" "35"', "35")))

def conflicts():
    """status-conflict expected on the file of a joint (non-primary) lead whose status differs from the primary's"""
    by = {(r["unit"], r["task"]): r for r in TRUTH["rows"]}
    ufile = {}
    for name, f in TRUTH["files"].items():
        if f["outcome"] == "used": ufile.setdefault(f["unit"], name)
    for (u, t), r in sorted(by.items()):
        prim = TASK[t]["lead"][0]
        if u != prim and (prim, t) in by and "any" not in (by[(prim, t)]["status"], r["status"]) and by[(prim, t)]["status"] != r["status"]:
            TRUTH["files"][ufile[u]]["task_codes"].append(["status-conflict", t])

def main():
    if ROUND.exists(): shutil.rmtree(ROUND)
    if DOCX_EQ.exists(): shutil.rmtree(DOCX_EQ)
    for f in DOCX_EQ.parent.glob("*.docx"): f.unlink()
    RD.mkdir(parents=True)
    f_keji(); f_shichang(); f_jinrong(); f_gongxin(); f_fagai(); f_jiangbei(); f_renshe(); f_yinhang(); f_wenlv()
    f_weijian(); f_xuanchuan(); f_sifa(); f_yuhua(); f_zhengwu(); f_gongan(); f_waiban(); f_wangxin(); f_linkong()
    f_jianwei(); f_minzheng(); f_tongji(); f_yibao(); f_bianjian(); f_shengtai(); f_ruanjian(); f_shuiwu(); f_jiaoyu(); f_guihua_stale(); f_zhengwu_rev(); f_shangwu(); f_tongji_encrypted(); others()
    conflicts()
    units = set()
    for p in REG["parts"]:
        for g in p["groups"]:
            for t in g["tasks"]: units.update(t["lead"])
    sub = {f["unit"] for f in TRUTH["files"].values()}
    TRUTH["missing_units"] = sorted(units - sub - {"市大数据集团"})
    TRUTH["rows"].sort(key=lambda r: (r["unit"], r["task"]))
    json.dump(TRUTH, open(HERE / "round.truth.json", "w", encoding="utf-8"), ensure_ascii=False, indent=1)
    json.dump(dict(sorted(TIMES.items())), open(HERE / "times.json", "w", encoding="utf-8"), ensure_ascii=False, indent=1)
    for rel, t in TIMES.items():
        subprocess.run(["touch", "-d", t.replace("T", " "), str(ROUND / rel)], check=True)

if __name__ == "__main__":
    main()
