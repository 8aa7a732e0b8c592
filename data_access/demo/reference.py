"""Static reference data of the demo: units, procedures, calendars, task templates,
movement themes, criteria and award wording.

Everything here is public-domain knowledge of how a Vietnamese ministry works (its units,
procedures and documents as published); procedure codes, fees and volumes are plausible,
not official.
Person names are produced by combining common family, middle and given names: they are
fictional.
"""

from __future__ import annotations

import datetime as dt

# --- The organisation over time ---------------------------------------------------------
# Until 28 February 2025 the ministry is the Ministry of Natural Resources and Environment
# with the 22 units of Decree 68/2022/NĐ-CP; from 1 March 2025 it is the Ministry of
# Agriculture and Environment with the 26 units of Decree 35/2025/NĐ-CP, Article 3.
# Sources and how sure each part is: docs/organisation.md.
MERGER = dt.date(2025, 3, 1)
LAST_DAY_BEFORE = MERGER - dt.timedelta(days=1)
LEGAL_BASIS = "35/2025/NĐ-CP"

ROOT_CODE = "BTNMT"              # the former ministry (valid until LAST_DAY_BEFORE)
MINISTRY_CODE = "BNNMT"          # the ministry from MERGER on
ROOT_UNIT = (ROOT_CODE, "Bộ Tài nguyên và Môi trường", "Ministry of Natural Resources and Environment", "ministry")
MINISTRY_UNIT = (MINISTRY_CODE, "Bộ Nông nghiệp và Môi trường", "Ministry of Agriculture and Environment", "ministry")

# Units that go on under the same name in the new ministry keep their code and have no
# validity limits (their parent is the ministry of today).
# code, name_vi, name_en, kind
CONTINUING: tuple[tuple[str, str, str, str], ...] = (
    ("VP", "Văn phòng Bộ", "Ministry Office", "office"),
    ("TTR", "Thanh tra Bộ", "Ministry Inspectorate", "inspectorate"),
    ("HTQT", "Vụ Hợp tác quốc tế", "Department of International Cooperation", "department"),
    ("KHTC", "Vụ Kế hoạch – Tài chính", "Department of Planning and Finance", "department"),
    ("KHCN", "Vụ Khoa học và Công nghệ", "Department of Science and Technology", "department"),
    ("PC", "Vụ Pháp chế", "Department of Legal Affairs", "department"),
    ("TCCB", "Vụ Tổ chức cán bộ", "Department of Organisation and Personnel", "department"),
    ("BHD", "Cục Biển và Hải đảo Việt Nam", "Viet Nam Agency of Seas and Islands", "agency"),
    ("BDKH", "Cục Biến đổi khí hậu", "Department of Climate Change", "agency"),
    ("BTTN", "Cục Bảo tồn thiên nhiên và Đa dạng sinh học",
     "Nature and Biodiversity Conservation Agency", "agency"),
    ("DDBD", "Cục Đo đạc, Bản đồ và Thông tin địa lý Việt Nam",
     "Department of Survey, Mapping and Geographic Information", "agency"),
    ("QLTNN", "Cục Quản lý tài nguyên nước", "Department of Water Resources Management", "agency"),
    ("VTQG", "Cục Viễn thám quốc gia", "National Remote Sensing Department", "agency"),
)
# The former ministry's units that ended on LAST_DAY_BEFORE.
FORMER: tuple[tuple[str, str, str, str], ...] = (
    ("DD", "Vụ Đất đai", "Department of Land", "department"),
    ("MT", "Vụ Môi trường", "Department of Environment (former)", "department"),
    ("KTTV", "Tổng cục Khí tượng Thủy văn",
     "Viet Nam Meteorological and Hydrological Administration", "directorate"),
    ("CDS", "Cục Chuyển đổi số và Thông tin dữ liệu tài nguyên và môi trường",
     "Department of Digital Transformation and Data", "agency"),
    ("DKDL", "Cục Đăng ký và Dữ liệu thông tin đất đai",
     "Department of Land Registration and Data", "agency"),
    ("DCVN", "Cục Địa chất Việt Nam", "Viet Nam Geological Department", "agency"),
    ("KS", "Cục Khoáng sản Việt Nam", "Viet Nam Department of Minerals", "agency"),
    ("KSON", "Cục Kiểm soát ô nhiễm môi trường", "Pollution Control Department", "agency"),
    ("QHDD", "Cục Quy hoạch và Phát triển tài nguyên đất",
     "Department of Land Resources Planning and Development", "agency"),
)
# The new ministry's units that began on MERGER.
NEW: tuple[tuple[str, str, str, str], ...] = (
    ("CCDS", "Cục Chuyển đổi số", "Department of Digital Transformation", "agency"),
    ("TTBVTV", "Cục Trồng trọt và Bảo vệ thực vật", "Department of Crop Production and Plant Protection", "agency"),
    ("CNTY", "Cục Chăn nuôi và Thú y", "Department of Livestock Production and Animal Health", "agency"),
    ("TSKN", "Cục Thủy sản và Kiểm ngư", "Department of Fisheries and Fisheries Surveillance", "agency"),
    ("LNKL", "Cục Lâm nghiệp và Kiểm lâm", "Department of Forestry and Forest Protection", "agency"),
    ("QLXDCT", "Cục Quản lý và Xây dựng công trình thủy lợi",
     "Department of Irrigation Works Management and Construction", "agency"),
    ("DDPCTT", "Cục Quản lý đê điều và Phòng, chống thiên tai",
     "Department of Dyke Management and Natural Disaster Prevention and Control", "agency"),
    ("KTHT", "Cục Kinh tế hợp tác và Phát triển nông thôn",
     "Department of Cooperative Economy and Rural Development", "agency"),
    ("CLCB", "Cục Chất lượng, Chế biến và Phát triển thị trường",
     "Department of Quality, Processing and Market Development", "agency"),
    ("QLDD", "Cục Quản lý đất đai", "Department of Land Management", "agency"),
    ("DCKS", "Cục Địa chất và Khoáng sản Việt Nam", "Viet Nam Department of Geology and Minerals", "agency"),
    ("CMT", "Cục Môi trường", "Department of Environment", "agency"),
    ("CKTTV", "Cục Khí tượng Thủy văn", "Department of Hydrometeorology", "agency"),
)
# (predecessor, successor, kind, inherits_history), all effective on MERGER under LEGAL_BASIS.
# The former agriculture ministry's units that merged into these are not in the demo
# (it holds no record of that ministry before MERGER).
SUCCESSIONS: tuple[tuple[str, str, str, bool], ...] = (
    (ROOT_CODE, MINISTRY_CODE, "merge", True),
    ("DD", "QLDD", "merge", True),
    ("DKDL", "QLDD", "merge", True),
    ("QHDD", "QLDD", "merge", True),
    ("MT", "CMT", "merge", True),
    ("KSON", "CMT", "merge", True),
    ("DCVN", "DCKS", "merge", True),
    ("KS", "DCKS", "merge", True),
    ("KTTV", "CKTTV", "rename", True),
    ("CDS", "CCDS", "merge", True),
)
SUCCESSOR = {p: s for p, s, _, _ in SUCCESSIONS}

# units rows: (code, name_vi, name_en, parent_code, kind, valid_from, valid_to)
UNIT_ROWS: tuple[tuple, ...] = (
    (*ROOT_UNIT[:3], None, "ministry", None, LAST_DAY_BEFORE),
    (*MINISTRY_UNIT[:3], None, "ministry", MERGER, None),
    *((c, vi, en, MINISTRY_CODE, kind, None, None) for c, vi, en, kind in CONTINUING),
    *((c, vi, en, ROOT_CODE, kind, None, LAST_DAY_BEFORE) for c, vi, en, kind in FORMER),
    *((c, vi, en, MINISTRY_CODE, kind, MERGER, None) for c, vi, en, kind in NEW),
)
UNITS_BEFORE = tuple(u[0] for u in (*CONTINUING, *FORMER))      # the 22 units of Decree 68/2022
UNITS_AFTER = tuple(u[0] for u in (*CONTINUING, *NEW))          # the 26 units of Decree 35/2025
UNIT_CODES = tuple(u[0] for u in (*CONTINUING, *FORMER, *NEW))  # every unit but the two ministries
ALL_CODES = (ROOT_CODE, MINISTRY_CODE, *UNIT_CODES)
UNIT_NAME_VI = {r[0]: r[1] for r in UNIT_ROWS}


def units_on(day: dt.date) -> tuple[str, ...]:
    """The units (not the ministry) valid on `day`."""
    return UNITS_AFTER if day >= MERGER else UNITS_BEFORE


def unit_on(code: str, day: dt.date) -> str:
    """The code a record made on `day` carries for work that `code` (a former unit's or a
    current unit's code) handles: the successor from MERGER on, the code itself before."""
    return SUCCESSOR.get(code, code) if day >= MERGER else code


def ministry_on(day: dt.date) -> str:
    return MINISTRY_CODE if day >= MERGER else ROOT_CODE


# Relative staff size (for individual awards) of each unit.
UNIT_STAFF = {
    "VP": 6, "TTR": 3, "HTQT": 2, "KHTC": 3, "KHCN": 2, "PC": 2, "TCCB": 2, "DD": 2, "MT": 2,
    "KTTV": 14, "BHD": 5, "BDKH": 3, "BTTN": 3, "CDS": 5, "DKDL": 5, "DCVN": 9, "DDBD": 9,
    "KS": 4, "KSON": 5, "QLTNN": 5, "QHDD": 3, "VTQG": 4,
    "CCDS": 6, "TTBVTV": 9, "CNTY": 9, "TSKN": 7, "LNKL": 10, "QLXDCT": 5, "DDPCTT": 5, "KTHT": 3,
    "CLCB": 5, "QLDD": 9, "DCKS": 12, "CMT": 7, "CKTTV": 14,
}

# --- Procedures ------------------------------------------------------------------------
# Share of dossiers finished on time per unit (before seasonal effects): most units are
# good, two struggle clearly (the minerals work under both its codes).
UNIT_ON_TIME = {
    "KSON": 0.985, "MT": 0.99, "KS": 0.88, "QLTNN": 0.82, "DDBD": 0.996, "KTTV": 0.992,
    "BHD": 0.972, "DKDL": 0.982, "QHDD": 0.975, "DCVN": 0.99, "VTQG": 0.998, "BDKH": 0.986,
    "BTTN": 0.99, "CDS": 0.997,
    "CMT": 0.986, "DCKS": 0.88, "QLDD": 0.98, "CKTTV": 0.992, "CCDS": 0.997,
    "TTBVTV": 0.993, "CNTY": 0.985, "TSKN": 0.96, "LNKL": 0.978, "QLXDCT": 0.97, "DDPCTT": 0.982,
}
STRUGGLING_UNITS = ("QLTNN", "KS", "DCKS")
# Share of dossiers synchronised to the national portal per unit.
UNIT_SYNCED = {
    "KSON": 0.97, "MT": 0.96, "KS": 0.93, "QLTNN": 0.94, "DDBD": 0.98, "KTTV": 0.975,
    "BHD": 0.95, "DKDL": 0.965, "QHDD": 0.955, "DCVN": 0.97, "VTQG": 0.98, "BDKH": 0.96,
    "BTTN": 0.965, "CDS": 0.98,
    "CMT": 0.97, "DCKS": 0.935, "QLDD": 0.965, "CKTTV": 0.975, "CCDS": 0.98,
    "TTBVTV": 0.97, "CNTY": 0.96, "TSKN": 0.93, "LNKL": 0.95, "QLXDCT": 0.94, "DDPCTT": 0.95,
}


# The former ministry's procedures, each with the unit that handled it until
# LAST_DAY_BEFORE: code, name_vi, name_en, field, unit, legal_days, service_level,
# relative volume, possible fees (VND), share of applicants who are citizens
_FORMER_PROCEDURES: tuple[tuple, ...] = (
    ("1.010727", "Thẩm định báo cáo đánh giá tác động môi trường (dự án nhóm I)",
     "Appraisal of environmental impact assessment reports (group I projects)",
     "environment", "KSON", 45, "partial_online", 5.0, (50_000_000, 70_000_000, 90_000_000), 0.0),
    ("1.010728", "Thẩm định báo cáo đánh giá tác động môi trường (dự án nhóm II)",
     "Appraisal of environmental impact assessment reports (group II projects)",
     "environment", "KSON", 30, "partial_online", 6.0, (30_000_000, 42_000_000), 0.0),
    ("1.010729", "Cấp giấy phép môi trường",
     "Issuance of environmental permits",
     "environment", "KSON", 30, "partial_online", 10.0, (25_000_000, 35_000_000, 45_000_000), 0.0),
    ("1.010730", "Cấp đổi, điều chỉnh, cấp lại giấy phép môi trường",
     "Renewal, adjustment and re-issuance of environmental permits",
     "environment", "KSON", 20, "full_online", 6.0, (6_000_000, 10_000_000), 0.0),
    ("1.010733", "Chứng nhận đủ điều kiện hoạt động dịch vụ quan trắc môi trường",
     "Certification of eligibility for environmental monitoring services",
     "environment", "MT", 30, "partial_online", 3.0, (20_000_000,), 0.0),
    ("1.004249", "Cấp giấy phép thăm dò khoáng sản",
     "Issuance of mineral exploration licences",
     "minerals", "KS", 45, "partial_online", 3.5, (4_000_000, 10_000_000, 15_000_000), 0.0),
    ("1.004250", "Cấp giấy phép khai thác khoáng sản",
     "Issuance of mineral exploitation licences",
     "minerals", "KS", 90, "offline", 2.5, (15_000_000, 30_000_000), 0.0),
    ("1.004263", "Phê duyệt trữ lượng khoáng sản",
     "Approval of mineral reserves",
     "minerals", "KS", 60, "offline", 1.5, (20_000_000, 40_000_000, 60_000_000), 0.0),
    ("1.004271", "Đóng cửa mỏ khoáng sản",
     "Closure of mineral mines",
     "minerals", "KS", 45, "partial_online", 0.8, (0,), 0.0),
    ("1.004155", "Cấp giấy phép thăm dò nước dưới đất",
     "Issuance of groundwater exploration permits",
     "water", "QLTNN", 30, "partial_online", 4.0, (2_600_000, 6_000_000), 0.0),
    ("1.004157", "Cấp giấy phép khai thác, sử dụng nước mặt",
     "Issuance of surface water exploitation and use permits",
     "water", "QLTNN", 30, "partial_online", 6.0, (4_000_000, 9_000_000, 18_000_000), 0.0),
    ("1.004159", "Cấp giấy phép khai thác, sử dụng nước dưới đất",
     "Issuance of groundwater exploitation and use permits",
     "water", "QLTNN", 30, "partial_online", 5.0, (4_000_000, 9_000_000), 0.0),
    ("1.004164", "Cấp giấy phép hành nghề khoan nước dưới đất quy mô lớn",
     "Licensing of large-scale groundwater drilling practice",
     "water", "QLTNN", 10, "full_online", 2.0, (1_400_000,), 0.1),
    ("1.000979", "Cấp giấy phép hoạt động đo đạc và bản đồ",
     "Licensing of surveying and mapping activities",
     "survey_mapping", "DDBD", 15, "full_online", 7.0, (0,), 0.0),
    ("1.000981", "Cấp chứng chỉ hành nghề đo đạc và bản đồ hạng I",
     "Issuance of class I surveying and mapping practising certificates",
     "survey_mapping", "DDBD", 15, "full_online", 6.0, (0,), 0.9),
    ("1.000985", "Cung cấp thông tin, dữ liệu, sản phẩm đo đạc và bản đồ",
     "Provision of surveying and mapping information, data and products",
     "survey_mapping", "DDBD", 5, "full_online", 8.0, (0, 300_000, 1_200_000), 0.25),
    ("1.000862", "Cấp giấy phép hoạt động dự báo, cảnh báo khí tượng thủy văn",
     "Licensing of hydrometeorological forecasting and warning activities",
     "hydrometeorology", "KTTV", 15, "full_online", 1.5, (0,), 0.0),
    ("1.000867", "Cung cấp thông tin, dữ liệu khí tượng thủy văn",
     "Provision of hydrometeorological information and data",
     "hydrometeorology", "KTTV", 5, "full_online", 7.0, (0, 500_000, 2_000_000), 0.3),
    ("1.001652", "Giao khu vực biển",
     "Allocation of sea areas",
     "sea_islands", "BHD", 30, "offline", 1.5, (0,), 0.0),
    ("1.001655", "Cấp giấy phép nhận chìm ở biển",
     "Licensing of dumping at sea",
     "sea_islands", "BHD", 45, "partial_online", 0.7, (0,), 0.0),
    ("1.009740", "Cung cấp thông tin, dữ liệu ảnh viễn thám",
     "Provision of remote sensing imagery and data",
     "remote_sensing", "VTQG", 5, "full_online", 3.0, (0, 800_000), 0.15),
    ("1.008918", "Cấp giấy phép tiếp cận nguồn gen",
     "Licensing of access to genetic resources",
     "environment", "BTTN", 30, "partial_online", 0.8, (0,), 0.1),
    ("1.009521", "Đăng ký sản xuất, nhập khẩu chất được kiểm soát theo Nghị định thư Montreal",
     "Registration of production and import of substances controlled under the Montreal Protocol",
     "climate_change", "BDKH", 15, "full_online", 1.5, (0,), 0.0),
    ("1.012514", "Thẩm định, phê duyệt chương trình, dự án tạo tín chỉ các-bon",
     "Appraisal and approval of carbon credit programmes and projects",
     "climate_change", "BDKH", 30, "partial_online", 0.6, (0,), 0.0),
    ("1.004367", "Cung cấp thông tin, dữ liệu địa chất, khoáng sản",
     "Provision of geological and mineral information and data",
     "geology", "DCVN", 5, "full_online", 3.5, (0, 600_000), 0.2),
    ("1.012760", "Cung cấp thông tin, dữ liệu đất đai",
     "Provision of land information and data",
     "land", "DKDL", 3, "full_online", 6.0, (0, 150_000), 0.35),
    ("1.012781", "Thẩm định nhu cầu sử dụng đất của dự án có vốn đầu tư nước ngoài",
     "Appraisal of land-use needs of foreign-invested projects",
     "land", "QHDD", 30, "partial_online", 1.2, (0,), 0.0),
    ("2.001767", "Cung cấp thông tin, dữ liệu tài nguyên và môi trường",
     "Provision of natural resources and environment information and data",
     "other", "CDS", 1, "full_online", 6.0, (0, 200_000), 0.4),
)


# Procedures of the former agriculture ministry's fields, handled from MERGER on (the
# demo holds no dossier of that ministry before it). Their names are the published ones
# where found (docs/organisation.md); codes, statutory days, fees and volumes are
# plausible, not official. The schema's field list has no agricultural field yet: `other`.
_AGRICULTURE_PROCEDURES: tuple[tuple, ...] = (
    ("1.013201", "Kiểm dịch thực vật đối với lô vật thể xuất khẩu, tái xuất khẩu",
     "Plant quarantine of consignments for export and re-export",
     "crops_plant_protection", "TTBVTV", 1, "full_online", 9.0, (80_000, 150_000, 300_000), 0.02),
    ("1.013202", "Cấp Giấy phép kiểm dịch thực vật nhập khẩu",
     "Issuance of plant quarantine import permits",
     "crops_plant_protection", "TTBVTV", 10, "full_online", 2.5, (0,), 0.0),
    ("1.013203", "Đăng ký chính thức thuốc bảo vệ thực vật",
     "Official registration of plant protection products",
     "crops_plant_protection", "TTBVTV", 60, "partial_online", 1.2, (5_000_000, 10_000_000), 0.0),
    ("1.013211", "Kiểm dịch động vật, sản phẩm động vật trên cạn xuất khẩu",
     "Quarantine of terrestrial animals and animal products for export",
     "livestock_veterinary", "CNTY", 3, "full_online", 6.0, (100_000, 250_000, 600_000), 0.03),
    ("1.013212", "Cấp Giấy chứng nhận lưu hành thuốc thú y",
     "Marketing authorisation of veterinary drugs",
     "livestock_veterinary", "CNTY", 60, "partial_online", 1.2, (3_000_000, 6_000_000), 0.0),
    ("1.013213", "Cấp Giấy chứng nhận đủ điều kiện vệ sinh thú y",
     "Certification of veterinary hygiene conditions",
     "livestock_veterinary", "CNTY", 15, "partial_online", 1.5, (1_200_000,), 0.05),
    ("1.013221", "Cấp văn bản chấp thuận cho tàu cá khai thác thủy sản ở vùng biển ngoài vùng biển "
                 "Việt Nam hoặc cấp phép cho đi khai thác tại vùng biển thuộc thẩm quyền quản lý của "
                 "Tổ chức nghề cá khu vực",
     "Approval for fishing vessels to fish beyond Viet Nam's waters or in a regional fisheries "
     "management organisation's area",
     "fisheries", "TSKN", 10, "partial_online", 0.6, (0,), 0.3),
    ("1.013222", "Cấp, gia hạn, cấp lại Giấy phép cho tổ chức, cá nhân nước ngoài có tàu hoạt động "
                 "thủy sản trong vùng biển Việt Nam",
     "Licensing of foreign fishing vessels operating in Viet Nam's waters",
     "fisheries", "TSKN", 15, "offline", 0.3, (0,), 0.0),
    ("1.013231", "Cấp Giấy phép CITES xuất khẩu, tái xuất khẩu mẫu vật các loài động vật rừng, thực vật "
                 "rừng nguy cấp, quý, hiếm và động vật, thực vật hoang dã nguy cấp thuộc các Phụ lục CITES",
     "CITES export and re-export permits for specimens of endangered, precious and rare forest "
     "fauna and flora and of CITES-listed species",
     "forestry", "LNKL", 15, "full_online", 3.0, (0,), 0.1),
    ("1.013241", "Cấp giấy phép cho các hoạt động trong phạm vi bảo vệ công trình thủy lợi",
     "Licensing of activities within the protection zone of irrigation works",
     "irrigation", "QLXDCT", 20, "partial_online", 1.0, (0,), 0.05),
    ("1.013251", "Cấp giấy phép cho các hoạt động liên quan đến đê điều",
     "Licensing of activities affecting dykes",
     "dykes_disasters", "DDPCTT", 20, "partial_online", 0.8, (0,), 0.05),
)
# Every procedure as recorded in `procedures` (its unit: the one that handles it today),
# with the unit that handled it before MERGER (None: only from MERGER on) as an 11th field.
PROCEDURES: tuple[tuple, ...] = (
    *((*p[:4], SUCCESSOR.get(p[4], p[4]), *p[5:], p[4]) for p in _FORMER_PROCEDURES),
    *((*p, None) for p in _AGRICULTURE_PROCEDURES),
)


# --- Calendar -------------------------------------------------------------------------
LUNAR_NEW_YEAR = {
    2019: "2019-02-05", 2020: "2020-01-25", 2021: "2021-02-12", 2022: "2022-02-01",
    2023: "2023-01-22", 2024: "2024-02-10", 2025: "2025-01-29", 2026: "2026-02-17",
    2027: "2027-02-06", 2028: "2028-01-26", 2029: "2029-02-13", 2030: "2030-02-03",
    2031: "2031-01-23", 2032: "2032-02-11",
}
# Hùng Kings' commemoration (10th day of the 3rd lunar month).
HUNG_KINGS = {
    2019: "2019-04-14", 2020: "2020-04-02", 2021: "2021-04-21", 2022: "2022-04-10",
    2023: "2023-04-29", 2024: "2024-04-18", 2025: "2025-04-07", 2026: "2026-04-26",
    2027: "2027-04-16", 2028: "2028-04-04", 2029: "2029-04-23", 2030: "2030-04-12",
    2031: "2031-04-01", 2032: "2032-04-19",
}


def public_holidays(first_year: int, last_year: int) -> list[dt.date]:
    """Days off of the public service (weekends aside), approximately as announced."""
    days: set[dt.date] = set()
    for y in range(first_year, last_year + 1):
        days.add(dt.date(y, 1, 1))
        days.update((dt.date(y, 4, 30), dt.date(y, 5, 1), dt.date(y, 9, 1), dt.date(y, 9, 2)))
        tet = LUNAR_NEW_YEAR.get(y)
        if tet:
            t = dt.date.fromisoformat(tet)
            days.update(t + dt.timedelta(days=k) for k in range(-2, 5))
        hung = HUNG_KINGS.get(y)
        if hung:
            days.add(dt.date.fromisoformat(hung))
    return sorted(days)


def tet_dates(first_year: int, last_year: int) -> list[dt.date]:
    return [dt.date.fromisoformat(LUNAR_NEW_YEAR[y]) for y in range(first_year, last_year + 1)
            if y in LUNAR_NEW_YEAR]


# --- Tasks ----------------------------------------------------------------------------
# Units whose task follow-up is weak / spotless (the latter never lead legal documents).
TASK_STRUGGLING = ("QLTNN", "KS", "DCKS")
TASK_SPOTLESS = ("TTR", "TCCB")

# Laws, topics and schemes name the unit that led them until LAST_DAY_BEFORE; a task
# assigned from MERGER on goes to its successor (`unit_on`). The agricultural ones exist
# only from MERGER on.
# law_vi, law_en, lead unit (besides the Legal Affairs department)
LAWS = (
    ("Luật Tài nguyên nước", "the Law on Water Resources", "QLTNN"),
    ("Luật Đất đai", "the Land Law", "DD"),
    ("Luật Bảo vệ môi trường", "the Law on Environmental Protection", "MT"),
    ("Luật Địa chất và khoáng sản", "the Law on Geology and Minerals", "KS"),
    ("Luật Khí tượng thủy văn", "the Law on Hydrometeorology", "KTTV"),
    ("Luật Tài nguyên, môi trường biển và hải đảo",
     "the Law on Marine and Island Resources and Environment", "BHD"),
    ("Luật Đo đạc và bản đồ", "the Law on Surveying and Mapping", "DDBD"),
)

# topic_vi, topic_en, unit — subjects of circulars, schemes and petitions
TOPICS = (
    ("cấp phép khai thác, sử dụng tài nguyên nước", "licensing of water resource exploitation and use", "QLTNN"),
    ("bảo đảm an ninh nguồn nước", "water security", "QLTNN"),
    ("vận hành liên hồ chứa trên các lưu vực sông", "inter-reservoir operation in river basins", "QLTNN"),
    ("đấu giá quyền khai thác khoáng sản", "auctions of mineral exploitation rights", "KS"),
    ("quản lý cát, sỏi lòng sông", "management of river sand and gravel", "KS"),
    ("thu tiền cấp quyền khai thác khoáng sản", "fees for the right to exploit minerals", "KS"),
    ("quan trắc môi trường tự động, liên tục", "automatic continuous environmental monitoring", "KSON"),
    ("quản lý chất thải rắn sinh hoạt", "management of household solid waste", "KSON"),
    ("kiểm soát ô nhiễm không khí", "air pollution control", "KSON"),
    ("đánh giá tác động môi trường", "environmental impact assessment", "MT"),
    ("giá đất và định giá đất", "land prices and land valuation", "DD"),
    ("thống kê, kiểm kê đất đai", "land statistics and inventory", "DKDL"),
    ("cơ sở dữ liệu đất đai quốc gia", "the national land database", "DKDL"),
    ("quy hoạch, kế hoạch sử dụng đất", "land-use planning", "QHDD"),
    ("dự báo, cảnh báo thiên tai khí tượng thủy văn", "hydrometeorological disaster forecasting and warning", "KTTV"),
    ("mạng lưới trạm khí tượng thủy văn quốc gia", "the national hydrometeorological station network", "KTTV"),
    ("quy hoạch không gian biển quốc gia", "national marine spatial planning", "BHD"),
    ("giao khu vực biển", "sea-area allocation", "BHD"),
    ("kiểm kê khí nhà kính", "greenhouse gas inventory", "BDKH"),
    ("thị trường các-bon trong nước", "the domestic carbon market", "BDKH"),
    ("bảo tồn đa dạng sinh học", "biodiversity conservation", "BTTN"),
    ("chuyển đổi số ngành tài nguyên và môi trường", "digital transformation of the natural resources and environment sector", "CDS"),
    ("cơ sở dữ liệu tài nguyên và môi trường", "natural resources and environment databases", "CDS"),
    ("điều tra cơ bản địa chất", "basic geological survey", "DCVN"),
    ("hệ thống thông tin địa lý quốc gia", "the national geographic information system", "DDBD"),
    ("giám sát tài nguyên và môi trường bằng viễn thám", "remote-sensing monitoring of resources and the environment", "VTQG"),
)

SCHEMES = (
    ("Đề án tổng thể xây dựng cơ sở dữ liệu đất đai quốc gia", "the master scheme for the national land database", "DKDL"),
    ("Đề án điều tra, đánh giá tiềm năng khoáng sản chiến lược", "the scheme on surveying strategic mineral potential", "DCVN"),
    ("Đề án phát triển thị trường các-bon tại Việt Nam", "the scheme on developing Viet Nam's carbon market", "BDKH"),
    ("Đề án tăng cường năng lực dự báo, cảnh báo thiên tai khí tượng thủy văn", "the scheme on strengthening hydrometeorological disaster forecasting", "KTTV"),
    ("Đề án bảo tồn đa dạng sinh học đến năm 2030, tầm nhìn đến năm 2050", "the biodiversity conservation scheme to 2030 with a vision to 2050", "BTTN"),
    ("Đề án chuyển đổi số ngành tài nguyên và môi trường", "the digital transformation scheme of the sector", "CDS"),
    ("Đề án giám sát tài nguyên và môi trường bằng công nghệ viễn thám", "the scheme on remote-sensing monitoring of resources and the environment", "VTQG"),
    ("Quy hoạch sử dụng đất quốc gia thời kỳ 2021–2030 (điều chỉnh)", "the adjusted national land-use plan 2021–2030", "QHDD"),
    ("Quy hoạch không gian biển quốc gia thời kỳ 2021–2030", "the national marine spatial plan 2021–2030", "BHD"),
    ("Đề án xử lý ô nhiễm môi trường lưu vực sông Nhuệ – sông Đáy", "the scheme on pollution in the Nhue–Day river basin", "KSON"),
    ("Đề án bảo đảm an ninh nguồn nước vùng Đồng bằng sông Cửu Long", "the water security scheme for the Mekong Delta", "QLTNN"),
    ("Quy hoạch tổng hợp lưu vực sông Hồng – Thái Bình", "the integrated plan of the Red–Thai Binh river basin", "QLTNN"),
    ("Đề án hoàn thiện hạ tầng dữ liệu không gian địa lý quốc gia", "the scheme on the national spatial data infrastructure", "DDBD"),
    ("Đề án đổi mới cơ chế tài chính của các đơn vị sự nghiệp công lập thuộc Bộ", "the scheme on the financial autonomy of the ministry's public service units", "KHTC"),
    ("Đề án nâng cao chất lượng đội ngũ công chức, viên chức của Bộ", "the scheme on improving the quality of the ministry's civil servants", "TCCB"),
    ("Đề án hợp tác quốc tế về ứng phó với biến đổi khí hậu giai đoạn 2026–2030", "the scheme on international cooperation on climate change 2026–2030", "HTQT"),
    ("Đề án phát triển khoa học, công nghệ và đổi mới sáng tạo ngành tài nguyên và môi trường", "the scheme on science, technology and innovation in the sector", "KHCN"),
    ("Chương trình quản lý tổng hợp tài nguyên nước và khoáng sản vùng trung du miền núi phía Bắc", "the programme on integrated management of water and minerals in the northern uplands", "KS"),
)

AGRICULTURE_LAWS = (
    ("Luật Trồng trọt", "the Law on Crop Production", "TTBVTV"),
    ("Luật Bảo vệ và kiểm dịch thực vật", "the Law on Plant Protection and Quarantine", "TTBVTV"),
    ("Luật Chăn nuôi", "the Law on Animal Husbandry", "CNTY"),
    ("Luật Thú y", "the Law on Veterinary Medicine", "CNTY"),
    ("Luật Thủy sản", "the Law on Fisheries", "TSKN"),
    ("Luật Lâm nghiệp", "the Law on Forestry", "LNKL"),
    ("Luật Thủy lợi", "the Law on Irrigation", "QLXDCT"),
    ("Luật Đê điều", "the Law on Dykes", "DDPCTT"),
)
AGRICULTURE_TOPICS = (
    ("phòng, chống dịch tả lợn châu Phi", "African swine fever control", "CNTY"),
    ("kiểm dịch động vật, sản phẩm động vật", "animal and animal-product quarantine", "CNTY"),
    ("mã số vùng trồng phục vụ xuất khẩu", "growing-area codes for export", "TTBVTV"),
    ("quản lý thuốc bảo vệ thực vật", "management of plant protection products", "TTBVTV"),
    ("chống khai thác hải sản bất hợp pháp, không báo cáo và không theo quy định (IUU)",
     "the fight against illegal, unreported and unregulated (IUU) fishing", "TSKN"),
    ("giám sát hành trình tàu cá", "fishing-vessel monitoring", "TSKN"),
    ("phòng cháy, chữa cháy rừng", "forest fire prevention and fighting", "LNKL"),
    ("quản lý, bảo vệ rừng tự nhiên", "management and protection of natural forests", "LNKL"),
    ("vận hành, an toàn hồ chứa thủy lợi", "operation and safety of irrigation reservoirs", "QLXDCT"),
    ("an toàn đê điều mùa mưa lũ", "dyke safety in the flood season", "DDPCTT"),
    ("ứng phó với bão, lũ, sạt lở đất", "response to storms, floods and landslides", "DDPCTT"),
    ("Chương trình mục tiêu quốc gia xây dựng nông thôn mới", "the national target programme on new rural areas", "KTHT"),
    ("phát triển hợp tác xã nông nghiệp", "agricultural cooperatives", "KTHT"),
    ("an toàn thực phẩm nông, lâm, thủy sản", "food safety of agricultural, forestry and fishery products", "CLCB"),
    ("mở cửa thị trường xuất khẩu nông sản", "export market access for agricultural products", "CLCB"),
)
AGRICULTURE_SCHEMES = (
    ("Đề án phát triển bền vững một triệu héc-ta chuyên canh lúa chất lượng cao, phát thải thấp vùng "
     "Đồng bằng sông Cửu Long", "the scheme on one million hectares of high-quality, low-emission rice "
     "in the Mekong Delta", "TTBVTV"),
    ("Chương trình quốc gia phòng, chống bệnh dịch tả lợn châu Phi", "the national African swine fever "
     "programme", "CNTY"),
    ("Kế hoạch hành động chống khai thác IUU, gỡ cảnh báo \"thẻ vàng\" của Ủy ban châu Âu",
     "the action plan against IUU fishing to lift the European Commission's \"yellow card\"", "TSKN"),
    ("Đề án trồng một tỷ cây xanh giai đoạn 2021–2025", "the one-billion-trees scheme 2021–2025", "LNKL"),
    ("Đề án bảo đảm an toàn hồ chứa nước thủy lợi", "the scheme on the safety of irrigation reservoirs", "QLXDCT"),
    ("Chương trình nâng cấp hệ thống đê sông", "the river dyke upgrading programme", "DDPCTT"),
    ("Đề án phát triển hợp tác xã nông nghiệp đến năm 2030", "the scheme on agricultural cooperatives "
     "to 2030", "KTHT"),
)

PROVINCES = (
    "Quảng Ninh", "Hải Phòng", "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Bình", "Thừa Thiên Huế",
    "Đà Nẵng", "Quảng Nam", "Quảng Ngãi", "Bình Định", "Khánh Hòa", "Ninh Thuận", "Bình Thuận",
    "Lâm Đồng", "Đắk Lắk", "Gia Lai", "Bình Dương", "Đồng Nai", "Bà Rịa – Vũng Tàu", "Long An",
    "Tiền Giang", "Bến Tre", "Cần Thơ", "Sóc Trăng", "Cà Mau", "Kiên Giang", "An Giang",
    "Lào Cai", "Yên Bái", "Hà Giang", "Sơn La", "Điện Biên", "Thái Nguyên", "Bắc Ninh", "Ninh Bình",
)

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")

ASSIGNERS = {
    "government": ("Chính phủ", "Thủ tướng Chính phủ"),
    "prime_minister": ("Thủ tướng Chính phủ", "Phó Thủ tướng Chính phủ", "Phó Thủ tướng Thường trực Chính phủ"),
    "ministry_leaders": ("Bộ trưởng", "Thứ trưởng", "Thứ trưởng Thường trực"),
    "other": ("Văn phòng Chính phủ", "Ủy ban Thường vụ Quốc hội", "Kiểm toán Nhà nước", "Ban Chỉ đạo Trung ương"),
}
VPCP_DEPTS = ("NN", "CN", "KTTH", "PL", "QHĐP", "V.I", "ĐMDN")

# Progress notes by stage (0: start, 1: middle, 2: late stage, 3: done)
TASK_NOTES = (
    ("Đã phân công đơn vị chủ trì, lập kế hoạch triển khai.",
     "Đang thu thập tài liệu, số liệu phục vụ xây dựng dự thảo.",
     "Đã tổ chức họp nhóm soạn thảo lần thứ nhất.",
     "Đã xây dựng đề cương chi tiết, trình Lãnh đạo Bộ cho ý kiến."),
    ("Đang lấy ý kiến các đơn vị trực thuộc Bộ.",
     "Đã có dự thảo lần 1, đang hoàn thiện theo ý kiến góp ý.",
     "Đang phối hợp với các bộ, ngành, địa phương để tổng hợp số liệu.",
     "Đã tổ chức hội thảo lấy ý kiến chuyên gia.",
     "Đang chờ ý kiến của các bộ, ngành liên quan."),
    ("Đã hoàn thiện hồ sơ, gửi Vụ Pháp chế thẩm định.",
     "Đã tiếp thu, giải trình ý kiến thẩm định, trình Lãnh đạo Bộ.",
     "Đang hoàn thiện dự thảo cuối cùng để trình ký.",
     "Đã trình Lãnh đạo Bộ xem xét, ký ban hành."),
    ("Đã hoàn thành, văn bản đã được ký ban hành.",
     "Đã hoàn thành, đã gửi báo cáo Văn phòng Chính phủ.",
     "Đã hoàn thành, kết quả đã báo cáo Lãnh đạo Bộ.",
     "Đã hoàn thành theo yêu cầu."),
)
CANCEL_NOTE = "Nhiệm vụ được rút khỏi chương trình công tác theo chỉ đạo của Lãnh đạo Bộ."

# --- Emulation ------------------------------------------------------------------------
THEMES = {
    2022: ("Kỷ cương, trách nhiệm, đổi mới, sáng tạo, hiệu quả",
           "Discipline, responsibility, innovation, creativity, effectiveness"),
    2023: ("Đoàn kết, kỷ cương, chủ động, thích ứng, hiệu quả",
           "Solidarity, discipline, proactivity, adaptability, effectiveness"),
    2024: ("Kỷ cương, trách nhiệm, chủ động, kịp thời, tăng tốc sáng tạo",
           "Discipline, responsibility, proactivity, timeliness, accelerated innovation"),
    2025: ("Đoàn kết, kỷ cương, đổi mới, tăng tốc, bứt phá",
           "Solidarity, discipline, renewal, acceleration, breakthrough"),
    2026: ("Chủ động, sáng tạo, chuyển đổi số toàn diện, phục vụ người dân và doanh nghiệp",
           "Proactivity, creativity, full digital transformation, serving citizens and businesses"),
    2027: ("Kỷ cương, liêm chính, hành động, hiệu quả",
           "Discipline, integrity, action, effectiveness"),
    2028: ("Đổi mới, sáng tạo, tăng trưởng xanh, phát triển bền vững",
           "Innovation, creativity, green growth, sustainable development"),
}
FALLBACK_THEME = ("Thi đua yêu nước, đổi mới, sáng tạo, hoàn thành xuất sắc nhiệm vụ",
                  "Patriotic emulation, renewal, creativity, outstanding fulfilment of tasks")

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")
# Emulation blocks, each unit in exactly one; the first member heads the block. A
# movement of a year before MERGER's has the former ministry's blocks, one of MERGER's
# year or later the new ministry's (`blocks_of`).
BLOCKS_BEFORE = (
    ("PC", "VP", "TTR", "TCCB"),
    ("KHTC", "HTQT", "KHCN", "DD", "MT"),
    ("KTTV", "BDKH", "BHD"),
    ("QLTNN", "KS", "DCVN"),
    ("DKDL", "QHDD", "DDBD"),
    ("KSON", "BTTN"),
    ("CDS", "VTQG"),
)
BLOCKS_AFTER = (
    ("PC", "VP", "TTR", "TCCB"),
    ("KHTC", "HTQT", "KHCN", "CCDS"),
    ("TTBVTV", "CNTY", "CLCB"),
    ("TSKN", "LNKL", "KTHT"),
    ("QLXDCT", "DDPCTT", "QLTNN"),
    ("QLDD", "DCKS", "DDBD", "VTQG"),
    ("CMT", "BDKH", "BTTN"),
    ("CKTTV", "BHD"),
)


def blocks_of(year: int) -> tuple[tuple[str, ...], ...]:
    return BLOCKS_AFTER if year >= MERGER.year else BLOCKS_BEFORE


# Two units of block I whose hand-scored points are identical (an exact tie).
TIED_UNITS = ("TTR", "TCCB")

# content_no, name_vi, name_en, max_points, metric
CRITERIA = (
    (1, "Tỷ lệ hoàn thành nhiệm vụ xây dựng văn bản quy phạm pháp luật được giao",
     "Completion rate of assigned legal documents", 10, "tasks.legal_docs_completion_rate"),
    (1, "Chất lượng tham mưu hoàn thiện thể chế, chính sách, pháp luật",
     "Quality of advice on laws and policies", 10, None),
    (2, "Chấp hành kỷ luật, kỷ cương hành chính, văn hóa công vụ",
     "Administrative discipline and public-service culture", 8, None),
    (2, "Đào tạo, bồi dưỡng, nâng cao chất lượng đội ngũ công chức, viên chức",
     "Training and the quality of civil servants", 7, None),
    (3, "Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn",
     "Share of administrative dossiers resolved on time", 8, "procedures.on_time_rate"),
    (3, "Tỷ lệ hồ sơ tiếp nhận trực tuyến",
     "Share of dossiers received online", 4, "procedures.online_rate"),
    (3, "Chuyển đổi số, xây dựng Chính phủ số, bảo đảm an toàn thông tin",
     "Digital transformation, digital government and information security", 8, None),
    (4, "Tỷ lệ nhiệm vụ Chính phủ, Thủ tướng Chính phủ, Lãnh đạo Bộ giao hoàn thành đúng hạn",
     "Share of tasks assigned by the Government, the Prime Minister and ministry leaders completed on time", 15, "tasks.on_time_rate"),
    (4, "Chất lượng, hiệu quả thực hiện nhiệm vụ chuyên môn, đề án, dự án",
     "Quality and effectiveness of professional work, schemes and projects", 15, None),
    (5, "Hưởng ứng phong trào \"Cả nước chung tay vì người nghèo – Không để ai bị bỏ lại phía sau\"",
     "Response to the movement \"The whole country joins hands for the poor – leaving no one behind\"", 5, None),
    (5, "Hưởng ứng phong trào thi đua \"Đẩy mạnh chuyển đổi số\" và các phong trào do Hội đồng Thi đua – Khen thưởng Trung ương phát động",
     "Response to the \"Digital transformation\" movement and other movements of the Central Emulation Council", 5, None),
    (6, "Tham gia các hoạt động văn hóa, văn nghệ, thể dục, thể thao",
     "Participation in cultural, artistic and sports activities", 5, None),
)

SECTIONS = (
    "Phòng Tổng hợp", "Phòng Kế hoạch – Tài chính", "Phòng Thẩm định", "Phòng Pháp chế – Thanh tra",
    "Phòng Cấp phép", "Phòng Quản lý dữ liệu", "Trung tâm Thông tin", "Phòng Hợp tác quốc tế",
    "Phòng Kỹ thuật", "Văn phòng Cục",
)

FAMILY_NAMES = (
    "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan",
    "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Đào", "Mai",
    "Tạ", "Lương", "Cao", "Đoàn", "Hà", "Chu", "Nghiêm", "Kiều", "Tô", "Lại",
)
MIDDLE_MALE = ("Văn", "Đức", "Minh", "Quang", "Hữu", "Thành", "Xuân", "Ngọc", "Anh", "Hoàng", "Tiến", "Mạnh", "Trọng", "Công")
MIDDLE_FEMALE = ("Thị", "Thị", "Thị", "Thu", "Thanh", "Minh", "Ngọc", "Hồng", "Phương", "Thùy", "Bích", "Hải", "Kim", "Diệu")
GIVEN_MALE = ("Hùng", "Dũng", "Tuấn", "Nam", "Long", "Hải", "Sơn", "Quân", "Thắng", "Cường", "Trung",
              "Hiếu", "Khánh", "Phong", "Tùng", "Bình", "Hòa", "Kiên", "Đạt", "Vinh", "Thành", "Huy", "Lâm", "Toàn")
GIVEN_FEMALE = ("Lan", "Hương", "Hoa", "Mai", "Trang", "Linh", "Ngọc", "Thảo", "Hà", "Yến", "Nga", "Hạnh",
                "Huyền", "Dung", "Oanh", "Quỳnh", "Vân", "Loan", "Hằng", "Nhung", "Thủy", "Giang", "Anh", "Phương")
