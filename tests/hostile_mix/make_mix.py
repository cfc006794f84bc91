#!/usr/bin/env python3
"""Builds the whole hostile mix of issue #15 into a good round, with other tools than roundup's.

usage: make_mix.py GOOD_ROUND INBOX PORT [--full]

GOOD_ROUND is a folder of good submissions (the foreign-made 2024Q1 round); INBOX is created
as INBOX/2024Q1/ holding those files plus every kind of bad input the reliability issue names,
made with openpyxl, xlwt, python-docx, msoffcrypto-tool (when installed), zipfile and raw bytes.
PORT is a local TCP port a listener watches: every link in the mix points at it, so a single
connection means a reader or LibreOffice reached for the network.

Without --full the expensive inputs are scaled down (2 files with a 2 MB cell, a 4 MB
paragraph, a 2 GiB sparse file) so that a test can run the mix in seconds; --full builds the
figures of the issue (24 files with a 50 MB cell, a 150 MB paragraph, a 5 GiB sparse file).

Units of the good round are never named by a hostile file, except through content the run
must reject. Four units absent from the good round are the "victims": their files are
hostile but carry real rows, so that hostile text reaches every output. Prints a JSON object:
{"victims": [...], "files": N}.
"""
import io
import json
import os
import random
import shutil
import sys
import zipfile

import openpyxl
import xlwt
from docx import Document

VICTIMS = ["市商务局", "市公安局", "市卫健委", "市教育局"]
HEADER = ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展", "牵头单位", "备注"]
LONG = 32767


def title_rows(unit):
    return [
        ["南京市服务业扩大开放综合试点任务推进情况表（2024年第一季度）"],
        [f"填报单位：{unit}", None, "填报日期：2024年4月8日"],
        HEADER,
    ]


# -- raw OOXML helpers ---------------------------------------------------------------------

CT_XLSX = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="{target}"/>'
    "</Relationships>"
)
WB = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="进展情况" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/'
    'sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)


def esc(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def col(n):
    name = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        name = chr(65 + r) + name
    return name


def raw_xlsx(rows, extra_sheet_xml="", sst_attrs=None, pre_prolog=""):
    """An xlsx from raw XML: rows are lists of str (inline strings) / int / float / raw '<v>'."""
    cells = []
    for r, row in enumerate(rows):
        out = []
        for c, value in enumerate(row):
            ref = f"{col(c)}{r + 1}"
            if value is None:
                continue
            if isinstance(value, tuple):  # ("v", raw number text)
                out.append(f'<c r="{ref}"><v>{value[1]}</v></c>')
            elif isinstance(value, (int, float)):
                out.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                out.append(f'<c r="{ref}" t="inlineStr"><is><t>{esc(value)}</t></is></c>')
        cells.append(f'<row r="{r + 1}">{"".join(out)}</row>')
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.'
        f'org/spreadsheetml/2006/main"><sheetData>{"".join(cells)}</sheetData>'
        f"{extra_sheet_xml}</worksheet>"
    )
    count = sst_attrs or 'count="0" uniqueCount="0"'
    sst = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main" {count}></sst>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CT_XLSX)
        z.writestr("_rels/.rels", RELS.format(target="xl/workbook.xml"))
        z.writestr("xl/workbook.xml", WB)
        z.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        z.writestr("xl/sharedStrings.xml", sst)
    return buf.getvalue()


def stream_xlsx(path, unit, big_chars):
    """An xlsx whose one progress cell holds big_chars characters, written streaming."""
    head = title_rows(unit)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CT_XLSX)
        z.writestr("_rels/.rels", RELS.format(target="xl/workbook.xml"))
        z.writestr("xl/workbook.xml", WB)
        z.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        z.writestr(
            "xl/sharedStrings.xml",
            '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.'
            'org/spreadsheetml/2006/main" count="0" uniqueCount="0"></sst>',
        )
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            for r, row in enumerate(head):
                f.write(f'<row r="{r + 1}">'.encode())
                for c, v in enumerate(row):
                    if v is not None:
                        f.write(f'<c r="{col(c)}{r + 1}" t="inlineStr"><is><t>{esc(v)}</t></is></c>'.encode())
                f.write(b"</row>")
            f.write(b'<row r="4"><c r="A4"><v>1</v></c><c r="B4" t="inlineStr"><is><t>')
            chunk = ("推进" * 512).encode()
            left = big_chars
            while left > 0:
                n = min(left, 1024)
                f.write(chunk[: n * 3])
                left -= n
            f.write(b"</t></is></c></row></sheetData></worksheet>")


def raw_docx(body_xml, big_paragraph_chars=0, prolog=""):
    ct = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", RELS.format(target="word/document.xml"))
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(
                f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<w:document xmlns:w="http://'
                'schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'.encode()
            )
            f.write(body_xml.encode())
            if big_paragraph_chars:
                f.write(b"<w:p><w:r><w:t>")
                chunk = ("工作" * 512).encode()
                left = big_paragraph_chars
                while left > 0:
                    n = min(left, 1024)
                    f.write(chunk[: n * 3])
                    left -= n
                f.write(b"</w:t></w:r></w:p>")
            f.write(b"</w:body></w:document>")
    return buf.getvalue()


def para(text):
    return f"<w:p><w:r><w:t>{esc(text)}</w:t></w:r></w:p>"


# -- the inputs ----------------------------------------------------------------------------


def victim_commerce(path):
    """市商务局: 32,767-character cells in status, percent and id; emoji sheet name; U+FFFE."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "😀" * 20
    for row in title_rows("市商务局"):
        ws.append(row)
    ws.append([46, "推动数字证书和电子签名国际互认", "推" * LONG, 50, "进展A", "市商务局"])
    ws.append([70, "培育建设国际消费中心城市", "推进中", "9" * LONG, "进展B", "市商务局"])
    ws.append(["7" * LONG, "支持中国（南京）跨境电子商务综合试验区建设", "推进中", 40, "进展C", "市商务局"])
    ws.append([81, "扩大跨境服务贸易", "推进中", 60, "MARKFFFE进展D", "市商务局"])
    ws.append([82, "支持服务贸易企业申请高级认证企业", "已完成", 100, "进展E" + "长" * 20000, "市商务局"])
    buf = io.BytesIO()
    wb.save(buf)
    # The _xFFFE_ escape, as Excel writes a U+FFFE it cannot store.
    patched = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info).replace(b"MARKFFFE", b"_xFFFE__xFFFF_")
            dst.writestr(info, data)
    open(path, "wb").write(patched.getvalue())


def victim_police(path):
    """市公安局 (.xls by xlwt): U+FFFE/U+FFFF in strings, NaN and infinite percents."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("进展情况")
    rows = title_rows("市公安局") + [
        [89, "加强人才服务", "推进中", float("nan"), "进展\ufffe甲\uffff", "市公安局"],
        [90, "外籍高层次人才永久居留", "推进中", float("inf"), "进展乙", "市公安局"],
        [91, "出入境便利", "推进中", 30, "进展丙\ufffe", "市公安局"],
    ]
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v is not None:
                sheet.write(r, c, v)
    book.save(path)


def victim_health(path):
    """市卫健委 (raw xlsx): a merged range over the whole sheet, 1e400 and NaN as numbers."""
    rows = title_rows("市卫健委") + [
        [30, "大型医用设备企业设立体检中心", "推进中", ("v", "1e400"), "进展一", "市卫健委"],
        [32, "远程病理诊断系统", "推进中", ("v", "NaN"), "进展二", "市卫健委"],
        [33, "养老机构内设护理医疗机构试点", "推进中", 45, "进展三", "市卫健委"],
    ]
    merged = '<mergeCells count="1"><mergeCell ref="I1:XFD1048576"/></mergeCells>'
    open(path, "wb").write(raw_xlsx(rows, merged))


def victim_education(path, chars):
    """市教育局: a report with one enormous paragraph."""
    body = para("市教育局关于2024年第一季度试点任务推进情况的报告") + para("一、总体情况")
    open(path, "wb").write(raw_docx(body, big_paragraph_chars=chars))


def linked_doc(fixture, port, outside, word6):
    data = open(fixture, "rb").read()
    for old, new in (("18123", str(port)), ("/tmp/rlsPLACEHOLDERXX", outside)):
        assert len(old) == len(new), (old, new)
        data = data.replace(old.encode(), new.encode())
        data = data.replace(old.encode("utf-16-le"), new.encode("utf-16-le"))
    if word6:
        at = data.find(bytes([0xEC, 0xA5, 0x01, 0x01]))
        if at >= 0:
            data = data[: at + 2] + (0x65).to_bytes(2, "little") + data[at + 4 :]
    return data


def first_pass(inbox, port):
    """The first reliability pass's hostile set, rebuilt with Python tools."""
    good = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.append(["序号", "试点任务", "完成状态"])
    wb.save(good)
    good = good.getvalue()
    out = {
        "hostile-truncated.xlsx": good[: len(good) * 2 // 3],
        "hostile-empty.xlsx": b"",
        "hostile-one-byte.xls": b"\x00",
        "hostile-html.xls": b"<html><body><table><tr><td>1</td></tr></table></body></html>",
        "hostile-csv.xls": "序号,试点任务\n1,x\n".encode("gbk"),
        "hostile-xlsx-named.docx": good,
    }
    scrambled = bytearray(good)
    rnd = random.Random(7)
    for i in range(300):
        scrambled[len(scrambled) // 3 + i] = rnd.randrange(256)
    out["hostile-scrambled.xlsx"] = bytes(scrambled)
    # Zip bomb: one part of 269 MB of zeros (honest CRC, honest sizes).
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            block = b"\0" * (1 << 20)
            for _ in range(269):
                f.write(block)
    out["hostile-zip-bomb.xlsx"] = buf.getvalue()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for i in range(10001):
            z.writestr(f"x/{i}", b"")
    out["hostile-many-entries.xlsx"] = buf.getvalue()
    laughs = '<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">' for i in range(10)
    ) + "]>"
    out["hostile-billion-laughs.docx"] = raw_docx(para("&lol9;"), prolog=laughs)
    xxe_sst = (
        '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]><sst xmlns='
        '"http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        "<si><t>&x;</t></si></sst>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw_xlsx([["x"]]))) as src, zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, xxe_sst if info.filename == "xl/sharedStrings.xml" else src.read(info))
    out["hostile-xxe.xlsx"] = buf.getvalue()
    out["hostile-deep-nesting.docx"] = raw_docx("<w:tbl><w:tr><w:tc>" * 10000 + "</w:tc></w:tr></w:tbl>" * 10000)
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.'
        'org/spreadsheetml/2006/main"><sheetData><row r="1048576"><c r="XFD1048576"><v>1</v>'
        "</c></row></sheetData></worksheet>"
    )
    out["hostile-xfd.xlsx"] = replace_part(raw_xlsx([["x"]]), "xl/worksheets/sheet1.xml", sheet)
    out["hostile-unique-count.xlsx"] = raw_xlsx([["x"]], sst_attrs='count="1" uniqueCount="4294967295"')
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 1_000_001))
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.'
        f'org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>'
    )
    out["hostile-million-rows.xlsx"] = replace_part(raw_xlsx([["x"]]), "xl/worksheets/sheet1.xml", sheet)
    amplified_sst = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main" count="2000" uniqueCount="1"><si><t>{"字" * (1 << 20)}</t></si></sst>'
    )
    cells = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(1, 2001))
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.'
        f'org/spreadsheetml/2006/main"><sheetData>{cells}</sheetData></worksheet>'
    )
    amp = replace_part(raw_xlsx([["x"]]), "xl/worksheets/sheet1.xml", sheet)
    out["hostile-amplified-string.xlsx"] = replace_part(amp, "xl/sharedStrings.xml", amplified_sst)
    # A LibreOffice-style ODS cut inside its table.
    ods = io.BytesIO()
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:'
        'names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:'
        'xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        '<office:body><office:spreadsheet><table:table table:name="进展"><table:table-row>'
        "<table:table-cell><text:p>序号"
    )
    with zipfile.ZipFile(ods, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
    out["hostile-truncated.ods"] = ods.getvalue()
    # OLE junk named .doc: a compound-file signature and noise.
    out["hostile-ole-junk.doc"] = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(rnd.randrange(256) for _ in range(4096))
    # HTML saved as .doc, linking images to the listener and to a UNC-like path.
    out["hostile-html-linked.doc"] = (
        f'<html><body><p>报告</p><img src="http://127.0.0.1:{port}/a.png">'
        '<img src="file:////127.0.0.1/share/b.png"></body></html>'
    ).encode()
    for name, data in out.items():
        open(os.path.join(inbox, name), "wb").write(data)
    # Encrypted OOXML, made by a real tool when it is installed.
    try:
        import msoffcrypto.format.ooxml  # noqa: F401
        from msoffcrypto.format.ooxml import OOXMLFile

        src = io.BytesIO(good)
        enc = io.BytesIO()
        OOXMLFile(src).encrypt("123456", enc)
        open(os.path.join(inbox, "hostile-encrypted.xlsx"), "wb").write(enc.getvalue())
    except Exception as e:  # noqa: BLE001
        print(f"encrypted file skipped: {e}", file=sys.stderr)
    return len(out)


def replace_part(package, name, text):
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, text if info.filename == name else src.read(info))
    return buf.getvalue()


def main():
    good_round, inbox_root, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    full = "--full" in sys.argv
    repo = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    inbox = os.path.join(inbox_root, "2024Q1")
    shutil.copytree(good_round, inbox, symlinks=True)
    n = first_pass(inbox, port)
    victim_commerce(os.path.join(inbox, "市商务局-2024年第一季度进展表.xlsx"))
    victim_police(os.path.join(inbox, "市公安局2024年第一季度进展情况.xls"))
    victim_health(os.path.join(inbox, "市卫健委-2024年第一季度进展表.xlsx"))
    victim_education(
        os.path.join(inbox, "市教育局关于2024年第一季度试点任务推进情况的报告.docx"),
        150_000_000 if full else 4_000_000,
    )
    n += 4
    for i in range(24 if full else 2):
        stream_xlsx(os.path.join(inbox, f"hostile-big-cell-{i:02}.xlsx"), "某单位", 50_000_000 if full else 2_000_000)
        n += 1
    # Linked Word files: a Word 97 file read natively, the same claiming Word 6 (LibreOffice).
    fixture = os.path.join(repo, "tests/fixtures/libreoffice/includepicture.doc")
    # The fixture's placeholder folder has 21 characters; the replacement keeps the length.
    outside = "/tmp/rlsOUTSIDEHOSTIL"
    os.makedirs(outside, exist_ok=True)
    for word6 in (False, True):
        name = f"hostile-linked-word{'6' if word6 else '97'}.doc"
        open(os.path.join(inbox, name), "wb").write(linked_doc(fixture, port, outside, word6))
        n += 1
    # Names: control characters, a forged log line, and names that are not UTF-8.
    plain = raw_xlsx([["x"]])
    for name in ("hostile\nFORGED 2024-01-01 ok.xlsx", "hostile\x1b[31m\x07bell.xlsx"):
        open(os.path.join(inbox, name), "wb").write(plain)
        n += 1
    if os.name == "posix":
        raw = os.fsencode(inbox)
        for name in ("市人社局进展表.xlsx".encode("gbk"), b"\xff\xfe.xlsx", b"\xff\xfd.xlsx"):
            open(os.path.join(raw, name), "wb").write(plain)
            n += 1
        # A sparse file far over the size limit.
        with open(os.path.join(inbox, "hostile-sparse.xlsx"), "wb") as f:
            f.truncate((5 if full else 2) << 30)
        n += 1
        os.symlink("/etc/passwd", os.path.join(inbox, "hostile-link-outside.xlsx"))
        os.symlink("/etc", os.path.join(inbox, "hostile-folder-link"))
        os.mkdir(os.path.join(inbox, "hostile-folder.xlsx"))
        unreadable = os.path.join(inbox, "hostile-unlistable")
        os.mkdir(unreadable)
        os.chmod(unreadable, 0)
    # Found by fuzzing, and the peer projects' test files (some hostile on purpose).
    fuzz = os.path.join(repo, "tests/fixtures/fuzz")
    for name in sorted(os.listdir(fuzz)):
        shutil.copy(os.path.join(fuzz, name), os.path.join(inbox, "fuzz-" + name))
        n += 1
    peers = os.path.join(repo, "..", "shared", "fixtures", "peer-files")
    if os.path.isdir(peers):
        shutil.copytree(peers, os.path.join(inbox, "peer-files"))
        n += sum(len(f) for _, _, f in os.walk(os.path.join(inbox, "peer-files")))
    # A file beside the round folder: misplaced.
    open(os.path.join(inbox_root, "市发改委-进展表.xlsx"), "wb").write(plain)
    print(json.dumps({"victims": VICTIMS, "files": n, "outside": outside}, ensure_ascii=False))


if __name__ == "__main__":
    main()
