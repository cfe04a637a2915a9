#!/usr/bin/env python3
"""Writes ../roster.csv: one row per ITU Member State at 2 February 2024.

The 193 Member States of ITU at the date of circular letter CL-24/2 are the 193 Member States of
the United Nations less Palau (which joined ITU on 19 September 2024) plus the Holy See. Codes and
names start from Debian's iso-codes (4.15.0: iso_3166-1.json and its gettext translations); the
tables below correct what iso-codes lacks or writes otherwise than the United Nations (UNTERM).
Principals and addresses are fictitious placeholders drawn from seeded lists.

Usage (from the repository root or anywhere):
    python3 workflows/wsis20-2024/data/make-roster.py               # writes roster.csv
    python3 workflows/wsis20-2024/data/make-roster.py --check       # exit 1 if roster.csv differs
    python3 workflows/wsis20-2024/data/make-roster.py --corrections # the README's tables

Standard library only; the output depends on nothing but iso-codes and this file.
"""

import csv
import gettext
import io
import json
import random
import sys
from collections import Counter
from pathlib import Path

ISO_JSON = Path("/usr/share/iso-codes/json/iso_3166-1.json")
LOCALE_DIR = "/usr/share/locale"
ISO_CODES_VERSION = "4.15.0"
SEED = 20240202
HERE = Path(__file__).resolve().parent
ROSTER = HERE.parent / "roster.csv"

COLUMNS = [
    "id", "m49", "name_en", "name_fr", "name_es", "name_ar", "name_ru", "name_zh",
    "formal_name_en", "formal_name_fr", "article_en", "article_fr", "gender_fr", "region",
    "category", "language", "principal_name", "principal_placeholder", "principal_title",
    "principal_gender", "principal_rank", "email", "focal_point_email", "mission_email",
]

# --- Who is a member -----------------------------------------------------------------------

# The 193 Member States of the United Nations (since South Sudan, 14 July 2011).
UN_MEMBERS = """
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA BRA
BRN BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI CIV HRV CUB CYP CZE PRK COD DNK
DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB
GUY HTI HND HUN ISL IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO
LBR LBY LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MCO MNG MNE MAR MOZ MMR NAM NRU
NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT QAT KOR MDA ROU RUS RWA
KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE
SYR TJK THA TLS TGO TON TTO TUN TUR TKM TUV UGA UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB
ZWE
""".split()

# At 2 February 2024: Palau was not yet a member of ITU (19 September 2024); the Holy See is one.
MEMBERS = sorted((set(UN_MEMBERS) - {"PLW"}) | {"VAT"})

# --- English -------------------------------------------------------------------------------

# United Nations short names where iso-codes' `name` differs (ISO inversions, short forms).
NAME_EN = {
    "BOL": "Bolivia (Plurinational State of)",
    "COD": "Democratic Republic of the Congo",
    "FSM": "Micronesia (Federated States of)",
    "GBR": "United Kingdom of Great Britain and Northern Ireland",
    "IRN": "Iran (Islamic Republic of)",
    "KOR": "Republic of Korea",
    "MDA": "Republic of Moldova",
    "NLD": "Netherlands (Kingdom of the)",
    "PRK": "Democratic People's Republic of Korea",
    "TZA": "United Republic of Tanzania",
    "USA": "United States of America",
    "VAT": "Holy See",
    "VEN": "Venezuela (Bolivarian Republic of)",
}

# Names that take "the" in running English text (United Nations Editorial Manual usage).
THE_EN = set("""
BHS CAF COD COG COM DOM GMB LAO MHL NER NLD PHL PRK KOR MDA RUS SDN SYR ARE GBR TZA USA VAT
""".split())

# Formal names where iso-codes' `official_name` is missing for a state whose formal name differs
# from its short name, or differs from the United Nations' formal name.
FORMAL_EN = {
    "BIH": "Bosnia and Herzegovina",
    "GUY": "the Co-operative Republic of Guyana",
    "ISL": "Iceland",
    "LBY": "the State of Libya",
    "MMR": "the Republic of the Union of Myanmar",
    "RWA": "the Republic of Rwanda",
    "URY": "the Oriental Republic of Uruguay",
}

# --- French --------------------------------------------------------------------------------

# Every member: the article the short name takes in running text ("-": none), the grammatical
# gender of the name (plural names by the gender of their noun), and, where iso-codes' French
# name differs from the United Nations' short name, the name to use.
FRENCH = """
AFG l' m
AGO l' m
ALB l' f
AND l' f
ARE les m
ARG l' f
ARM l' f
ATG - f
AUS l' f
AUT l' f
AZE l' m
BDI le m
BEL la f
BEN le m
BFA le m
BGD le m
BGR la f
BHR - m
BHS les f
BIH la f
BLR le m
BLZ le m
BOL l' f Bolivie (État plurinational de)
BRA le m
BRB la f
BRN le m
BTN le m
BWA le m
CAF la f
CAN le m
CHE la f
CHL le m
CHN la f
CIV la f
CMR le m
COD la f
COG le m Congo
COL la f
COM les f
CPV le m Cabo Verde
CRI le m
CUB - f
CYP - f
CZE la f
DEU l' f
DJI - m
DMA la f
DNK le m
DOM la f
DZA l' f
ECU l' m
EGY l' f
ERI l' f
ESP l' f
EST l' f
ETH l' f
FIN la f
FJI les f
FRA la f
FSM la f Micronésie (États fédérés de)
GAB le m
GBR le m Royaume-Uni de Grande-Bretagne et d'Irlande du Nord
GEO la f
GHA le m
GIN la f
GMB la f
GNB la f
GNQ la f Guinée équatoriale
GRC la f
GRD la f
GTM le m
GUY le m
HND le m
HRV la f
HTI - m
HUN la f
IDN l' f
IND l' f
IRL l' f
IRN l' m Iran (République islamique d')
IRQ l' m Iraq
ISL l' f
ISR - m
ITA l' f
JAM la f
JOR la f
JPN le m
KAZ le m
KEN le m
KGZ le m
KHM le m
KIR - f
KNA - m Saint-Kitts-et-Nevis
KOR la f République de Corée
KWT le m
LAO la f République démocratique populaire lao
LBN le m
LBR le m
LBY la f
LCA - f
LIE le m
LKA le m
LSO le m
LTU la f
LUX le m
LVA la f
MAR le m
MCO - m
MDA la f République de Moldova
MDG - f
MDV les f
MEX le m
MHL les f
MKD la f
MLI le m
MLT - f
MMR le m Myanmar
MNE le m
MNG la f
MOZ le m
MRT la f
MUS - f
MWI le m
MYS la f
NAM la f
NER le m
NGA le m Nigéria
NIC le m
NLD les m Pays-Bas (Royaume des)
NOR la f
NPL le m
NRU - f
NZL la f
OMN - m
PAK le m
PAN le m
PER le m
PHL les f
PNG la f
POL la f
PRK la f République populaire démocratique de Corée
PRT le m
PRY le m
QAT le m
ROU la f
RUS la f Fédération de Russie
RWA le m
SAU l' f
SDN le m
SEN le m
SGP - m
SLB les f Îles Salomon
SLE la f
SLV - m El Salvador
SMR - m
SOM la f
SRB la f
SSD le m
STP - m
SUR le m Suriname
SVK la f
SVN la f
SWE la f
SWZ l' m
SYC les f
SYR la f République arabe syrienne
TCD le m
TGO le m
THA la f
TJK le m
TKM le m
TLS le m Timor-Leste
TON les f
TTO - f
TUN la f
TUR la f
TUV les f
TZA la f République-Unie de Tanzanie
UGA l' m
UKR l' f
URY l' m
USA les m États-Unis d'Amérique
UZB l' m
VAT le m Saint-Siège
VCT - m Saint-Vincent-et-les Grenadines
VEN le m Venezuela (République bolivarienne du)
VNM le m Viet Nam
VUT le m
WSM le m
YEM le m
ZAF l' f
ZMB la f
ZWE le m
"""

# The article a French formal name takes, by its first word.
FORMAL_HEAD_FR = {
    "République": "la", "Royaume": "le", "Royaume-Uni": "le", "Principauté": "la",
    "Confédération": "la", "Commonwealth": "le", "Sultanat": "le", "Union": "l'", "État": "l'",
    "États": "les", "États-Unis": "les", "Fédération": "la",
}

# French formal names where iso-codes' translation is missing or differs from the UN's.
FORMAL_FR = {
    "ARG": "la République argentine",
    "BGD": "la République populaire du Bangladesh",
    "BIH": "la Bosnie-Herzégovine",
    "BRA": "la République fédérative du Brésil",
    "BTN": "le Royaume du Bhoutan",
    "CHE": "la Confédération suisse",
    "CPV": "la République de Cabo Verde",
    "ECU": "la République de l'Équateur",
    "GNQ": "la République de Guinée équatoriale",
    "GRC": "la République hellénique",
    "GUY": "la République coopérative du Guyana",
    "HTI": "la République d'Haïti",
    "IND": "la République de l'Inde",
    "ISL": "l'Islande",
    "LBY": "l'État de Libye",
    "LKA": "la République socialiste démocratique de Sri Lanka",
    "LUX": "le Grand-Duché de Luxembourg",
    "MMR": "la République de l'Union du Myanmar",
    "MUS": "la République de Maurice",
    "NGA": "la République fédérale du Nigéria",
    "PRK": "la République populaire démocratique de Corée",
    "RWA": "la République du Rwanda",
    "SMR": "la République de Saint-Marin",
    "STP": "la République démocratique de Sao Tomé-et-Principe",
    "SUR": "la République du Suriname",
    "SWZ": "le Royaume d'Eswatini",
    "TTO": "la République de Trinité-et-Tobago",
    "TUR": "la République de Türkiye",
    "TZA": "la République-Unie de Tanzanie",
    "UGA": "la République de l'Ouganda",
    "URY": "la République orientale de l'Uruguay",
    "VEN": "la République bolivarienne du Venezuela",
    "WSM": "l'État indépendant du Samoa",
    "ZAF": "la République sud-africaine",
}

# --- Spanish, Arabic, Russian, Chinese (best effort) ---------------------------------------

NAME_ES = {
    "ARE": "Emiratos Árabes Unidos",
    "BEN": "Benin",
    "BFA": "Burkina Faso",
    "BGD": "Bangladesh",
    "BHR": "Bahrein",
    "BLR": "Belarús",
    "BOL": "Bolivia (Estado Plurinacional de)",
    "BWA": "Botswana",
    "CIV": "Côte d'Ivoire",
    "COD": "República Democrática del Congo",
    "COM": "Comoras",
    "DJI": "Djibouti",
    "DZA": "Argelia",
    "FJI": "Fiji",
    "FSM": "Micronesia (Estados Federados de)",
    "GBR": "Reino Unido de Gran Bretaña e Irlanda del Norte",
    "GNB": "Guinea-Bissau",
    "IRN": "Irán (República Islámica del)",
    "IRQ": "Iraq",
    "KAZ": "Kazajstán",
    "KEN": "Kenya",
    "KNA": "Saint Kitts y Nevis",
    "KOR": "República de Corea",
    "LAO": "República Democrática Popular Lao",
    "LSO": "Lesotho",
    "MDA": "República de Moldova",
    "MDV": "Maldivas",
    "MMR": "Myanmar",
    "MWI": "Malawi",
    "NER": "Níger",
    "NLD": "Países Bajos (Reino de los)",
    "NZL": "Nueva Zelandia",
    "PRK": "República Popular Democrática de Corea",
    "QAT": "Qatar",
    "ROU": "Rumania",
    "RUS": "Federación de Rusia",
    "RWA": "Rwanda",
    "SAU": "Arabia Saudita",
    "SUR": "Suriname",
    "SWZ": "Eswatini",
    "SYR": "República Árabe Siria",
    "TLS": "Timor-Leste",
    "TTO": "Trinidad y Tabago",
    "TUN": "Túnez",
    "TZA": "República Unida de Tanzanía",
    "USA": "Estados Unidos de América",
    "VAT": "Santa Sede",
    "VEN": "Venezuela (República Bolivariana de)",
    "VNM": "Viet Nam",
    "ZWE": "Zimbabwe",
}

NAME_AR = {
    "BFA": "بوركينا فاسو",
    "BLR": "بيلاروس",
    "BOL": "بوليفيا (دولة - المتعددة القوميات)",
    "CAF": "جمهورية أفريقيا الوسطى",
    "CIV": "كوت ديفوار",
    "COD": "جمهورية الكونغو الديمقراطية",
    "CPV": "كابو فيردي",
    "CZE": "تشيكيا",
    "DOM": "الجمهورية الدومينيكية",
    "FSM": "ميكرونيزيا (ولايات - الموحدة)",
    "GBR": "المملكة المتحدة لبريطانيا العظمى وأيرلندا الشمالية",
    "GNB": "غينيا - بيساو",
    "HUN": "هنغاريا",
    "IRN": "إيران (جمهورية - الإسلامية)",
    "KOR": "جمهورية كوريا",
    "LAO": "جمهورية لاو الديمقراطية الشعبية",
    "LIE": "ليختنشتاين",
    "LTU": "ليتوانيا",
    "MDV": "ملديف",
    "MHL": "جزر مارشال",
    "MNE": "الجبل الأسود",
    "NIC": "نيكاراغوا",
    "NLD": "هولندا (مملكة -)",
    "NZL": "نيوزيلندا",
    "PER": "بيرو",
    "PRK": "جمهورية كوريا الشعبية الديمقراطية",
    "PRY": "باراغواي",
    "SAU": "المملكة العربية السعودية",
    "SLB": "جزر سليمان",
    "SRB": "صربيا",
    "SYC": "سيشيل",
    "TLS": "تيمور - ليشتي",
    "TUR": "تركيا",
    "TZA": "جمهورية تنزانيا المتحدة",
    "URY": "أوروغواي",
    "USA": "الولايات المتحدة الأمريكية",
    "VAT": "الكرسي الرسولي",
    "VCT": "سانت فنسنت وجزر غرينادين",
    "VEN": "فنزويلا (جمهورية - البوليفارية)",
    "VNM": "فييت نام",
    "ZAF": "جنوب أفريقيا",
}

NAME_RU = {
    "BOL": "Боливия (Многонациональное Государство)",
    "BRN": "Бруней-Даруссалам",
    "CAF": "Центральноафриканская Республика",
    "DOM": "Доминиканская Республика",
    "FSM": "Микронезия (Федеративные Штаты)",
    "GBR": "Соединенное Королевство Великобритании и Северной Ирландии",
    "IRN": "Иран (Исламская Республика)",
    "KGZ": "Кыргызстан",
    "MHL": "Маршалловы Острова",
    "NLD": "Нидерланды (Королевство)",
    "TLS": "Тимор-Лешти",
    "TUR": "Турция",
    "TZA": "Объединенная Республика Танзания",
    "USA": "Соединенные Штаты Америки",
    "VAT": "Святейший Престол",
    "VEN": "Венесуэла (Боливарианская Республика)",
}

NAME_ZH = {
    "ARE": "阿拉伯联合酋长国",
    "BGD": "孟加拉国",
    "BOL": "多民族玻利维亚国",
    "BRN": "文莱达鲁萨兰国",
    "CAF": "中非共和国",
    "FSM": "密克罗尼西亚联邦",
    "GBR": "大不列颠及北爱尔兰联合王国",
    "GTM": "危地马拉",
    "KGZ": "吉尔吉斯斯坦",
    "KHM": "柬埔寨",
    "LCA": "圣卢西亚",
    "MLT": "马耳他",
    "NLD": "荷兰王国",
    "RUS": "俄罗斯联邦",
    "SMR": "圣马力诺",
    "TZA": "坦桑尼亚联合共和国",
    "USA": "美利坚合众国",
    "VAT": "教廷",
}

# --- Regions and languages -----------------------------------------------------------------

# ITU's five administrative regions (Council elections), as this project reads them.
REGIONS = {
    "A Americas": """
        ARG ATG BHS BLZ BOL BRA BRB CAN CHL COL CRI CUB DMA DOM ECU GRD GTM GUY HND HTI JAM KNA
        LCA MEX NIC PAN PER PRY SLV SUR TTO URY USA VCT VEN""",
    "B Western Europe": """
        AND AUT BEL CHE CYP DEU DNK ESP FIN FRA GBR GRC HUN IRL ISL ISR ITA LIE LUX MCO MLT NLD
        NOR PRT SMR SWE TUR VAT""",
    "C Eastern Europe and Northern Asia": """
        ALB ARM AZE BGR BIH BLR CZE EST GEO HRV KAZ KGZ LTU LVA MDA MKD MNE POL ROU RUS SRB SVK
        SVN TJK TKM UKR UZB""",
    "D Africa": """
        AGO BDI BEN BFA BWA CAF CIV CMR COD COG COM CPV DJI DZA EGY ERI ETH GAB GHA GIN GMB GNB
        GNQ KEN LBR LBY LSO MAR MDG MLI MOZ MRT MUS MWI NAM NER NGA RWA SDN SEN SLE SOM SSD STP
        SWZ SYC TCD TGO TUN TZA UGA ZAF ZMB ZWE""",
    "E Asia and Australasia": """
        AFG ARE AUS BGD BHR BRN BTN CHN FJI FSM IDN IND IRN IRQ JOR JPN KHM KIR KOR KWT LAO LBN
        LKA MDV MHL MMR MNG MYS NPL NRU NZL OMN PAK PHL PNG PRK QAT SAU SGP SLB SYR THA TLS TON
        TUV VNM VUT WSM YEM""",
}

# The working language of each delegation; every other member works in English.
LANGUAGES = {
    # Members of the League of Arab States, less Comoros and Djibouti (French).
    "ar": "ARE BHR DZA EGY IRQ JOR KWT LBN LBY MAR MRT OMN QAT SAU SDN SOM SYR TUN YEM",
    # Spain, the Spanish-speaking Americas, Equatorial Guinea.
    "es": "ARG BOL CHL COL CRI CUB DOM ECU ESP GNQ GTM HND MEX NIC PAN PER PRY SLV URY VEN",
    # Administrations that work in French: Europe, Haiti, the Holy See, French-speaking Africa.
    "fr": """BEL CHE FRA HTI LUX MCO VAT BEN BFA BDI CAF CIV CMR COD COG COM DJI GAB GIN MDG MLI
             NER SEN TCD TGO""",
    # Members of the Regional Commonwealth in the field of Communications that correspond in Russian.
    "ru": "ARM AZE BLR KAZ KGZ RUS TJK TKM UZB",
    "zh": "CHN",
}

# --- Fictitious principals -----------------------------------------------------------------

# Name pools by cultural area: female given names, male given names, family names ("m/f" where
# the family name takes a feminine form). Names are combined at random: none is meant to be, or
# was checked to be unlike, any real person's.
NAME_POOLS = {
    # The Americas
    "hispanic": (
        "ARG BOL CHL COL CRI CUB DOM ECU SLV GTM HND MEX NIC PAN PRY PER URY VEN ESP",
        "María José|Ana Lucía|Carmen|Valeria|Gabriela|Lucía|Daniela|Patricia|Rosa Elena|Mariana|Claudia|Adriana",
        "Javier|Andrés|Luis Alberto|Carlos Eduardo|Diego|Fernando|Ricardo|Jorge|Miguel Ángel|Sebastián|Rodrigo|Pablo",
        "Castillo Vega|Morales|Herrera Solís|Rojas|Mendoza|Salazar|Navarro|Paredes|Quintero|Aguilar|Fuentes|"
        "Cabrera|Ortega|Villalobos|Zamora|Espinoza|Cordero|Ibarra|Valdivia|Sandoval",
    ),
    "anglo": (
        "USA GBR IRL CAN AUS NZL",
        "Sarah|Emily|Rachel|Fiona|Megan|Claire",
        "James|Daniel|Patrick|Andrew|Thomas|Michael",
        "Whitfield|Harrington|O'Sullivan|Caldwell|Pemberton|MacLeod|Ashworth|Kendrick",
    ),
    "caribbean": (
        "JAM BHS BRB TTO GRD LCA VCT DMA KNA ATG BLZ GUY SUR",
        "Keisha|Marcia|Janelle|Nadine|Sharon|Andrea|Yolanda|Camille",
        "Dwayne|Marlon|Trevor|Winston|Desmond|Kirk|Delroy|Rajesh",
        "Thompson|Campbell|Brathwaite|Charles|Alleyne|Persaud|Ramdin|Baptiste|Gordon|Greenidge|Mathurin|Bynoe",
    ),
    "haitian": ("HTI", "Marie-Carmel|Guerda", "Jean-Robert|Wilner", "Desrosiers|Dorval"),
    "lusophone": (
        "BRA PRT AGO MOZ CPV GNB STP TLS",
        "Ana Paula|Mariana|Beatriz|Fernanda|Isabel|Luísa|Teresa|Joana",
        "João Pedro|Rui|Tiago|Paulo Sérgio|Nuno|Eduardo|Armando|Augusto",
        "Ferreira|Carvalho|Tavares|Monteiro|Pereira da Silva|Nogueira|Brito|Lopes Cardoso|Sequeira|Mendonça",
    ),
    # Western Europe
    "french": (
        "FRA BEL CHE LUX MCO",
        "Claire|Sophie|Isabelle|Camille|Nathalie|Hélène",
        "Laurent|Olivier|Philippe|Mathieu|Julien|Thierry",
        "Lefèvre|Mercier|Girard|Renaud|Vanderstraeten|Schmit|Rochat|Fontaine",
    ),
    "catalan": ("AND", "Meritxell|Núria", "Jordi|Xavier", "Puig|Casals"),
    "germanic": ("DEU AUT LIE", "Katrin|Julia|Sabine", "Markus|Stefan|Florian", "Hoffmann|Brandstätter|Vogt|Kessler"),
    "dutch": ("NLD", "Sanne|Anouk", "Joost|Maarten", "de Vries|Jansen"),
    "danish": ("DNK", "Mette|Sofie", "Henrik|Rasmus", "Mortensen|Kjær"),
    "norwegian": ("NOR", "Ingrid|Kari", "Eirik|Lars", "Haugen|Solberg"),
    "swedish": ("SWE", "Karin|Annika", "Magnus|Johan", "Lindqvist|Nyström"),
    "finnish": ("FIN", "Anna-Maija|Liisa", "Juha|Mikko", "Virtanen|Korhonen"),
    "icelandic": ("ISL", "Sigríður|Guðrún", "Gunnar|Einar", "Jónsson/Jónsdóttir|Sigurðsson/Sigurðardóttir"),
    "greek": ("GRC CYP", "Eleni|Katerina|Sofia", "Nikos|Yiannis|Andreas", "Papadopoulos/Papadopoulou|Georgiou|Christodoulou|Antoniou"),
    "italian": ("ITA SMR VAT", "Giulia|Francesca|Chiara", "Giovanni|Marco|Alessandro", "Moretti|Galli|Bianchi|Conti"),
    "maltese": ("MLT", "Maria|Roberta", "Joseph|Karl", "Camilleri|Vella"),
    "turkish": ("TUR", "Elif|Zeynep", "Emre|Kerem", "Yıldız|Aksoy"),
    "hungarian": ("HUN", "Eszter|Katalin", "Gábor|Balázs", "Tóth|Nagy"),
    "hebrew": ("ISR", "Noa|Yael", "Avi|Eitan", "Mizrahi|Peretz"),
    # Eastern Europe and Northern Asia
    "east-slavic": (
        "RUS BLR UKR",
        "Anna|Olga|Yulia|Natalia",
        "Dmitry|Sergei|Andriy|Pavel",
        "Sokolov/Sokolova|Kovalenko|Morozov/Morozova|Lebedev/Lebedeva|Tkachuk",
    ),
    "polish": ("POL", "Katarzyna|Magdalena", "Tomasz|Piotr", "Wiśniewski/Wiśniewska|Zieliński/Zielińska"),
    "czech": ("CZE", "Petra|Lucie", "Jakub|Tomáš", "Svoboda/Svobodová|Horák/Horáková"),
    "slovak": ("SVK", "Zuzana|Jana", "Martin|Peter", "Kováč/Kováčová|Baláž/Balážová"),
    "romanian": ("ROU MDA", "Ioana|Mihaela|Elena", "Andrei|Mihai|Radu", "Popescu|Munteanu|Ciobanu|Dumitrescu"),
    "yugoslav": (
        "SRB HRV BIH MNE SVN",
        "Jelena|Ivana|Maja|Tanja|Nina",
        "Marko|Dragan|Luka|Nenad|Goran",
        "Petrović|Kovačević|Babić|Marković|Horvat|Vuković|Kranjc",
    ),
    "bulgarian": ("BGR", "Desislava|Elena", "Nikolai|Boris", "Dimitrov/Dimitrova|Georgiev/Georgieva"),
    "macedonian": ("MKD", "Vesna|Biljana", "Zoran|Goran", "Stojanovski/Stojanovska|Trajkovski/Trajkovska"),
    "albanian": ("ALB", "Arta|Elira", "Besnik|Arben", "Hoxha|Krasniqi"),
    "estonian": ("EST", "Kadri|Triin", "Margus|Tarmo", "Tamm|Saar"),
    "latvian": ("LVA", "Ilze|Dace", "Andris|Jānis", "Bērziņš/Bērziņa|Kalniņš/Kalniņa"),
    "lithuanian": ("LTU", "Rūta|Jurgita", "Tomas|Mindaugas", "Kazlauskas/Kazlauskienė|Petrauskas/Petrauskienė"),
    "armenian": ("ARM", "Anahit|Lusine", "Aram|Tigran", "Hakobyan|Grigoryan"),
    "georgian": ("GEO", "Nino|Tamar", "Giorgi|Levan", "Beridze|Kapanadze"),
    "azerbaijani": ("AZE", "Aygün|Günel", "Elchin|Rashad", "Huseynli|Guliyev/Guliyeva"),
    "kazakh-kyrgyz": ("KAZ KGZ", "Aigerim|Aizhan", "Azamat|Nurlan", "Zhakupov/Zhakupova|Abdrakhmanov/Abdrakhmanova|Seitkali"),
    "uzbek-tajik-turkmen": (
        "UZB TJK TKM",
        "Dilnoza|Nigora|Madina",
        "Bakhtiyor|Rustam|Timur",
        "Sadykov/Sadykova|Ismoilov/Ismoilova|Tursunov/Tursunova|Annayev/Annayeva",
    ),
    # Africa
    "maghreb": (
        "DZA MAR TUN LBY MRT",
        "Amina|Nadia|Samira|Meriem|Leila",
        "Karim|Nabil|Mehdi|Youcef|Hichem",
        "Bensalem|Benali|Bouzid|Toumi|Cherif|El Idrissi|Ben Youssef",
    ),
    "nile": ("EGY SDN", "Dalia|Salma|Rania", "Tarek|Hisham|Osama", "El-Sayed|Mansour|Abdelrahman|Osman"),
    "sahel": (
        "SEN MLI BFA NER GIN",
        "Aminata|Fatoumata|Awa|Aïssatou|Rokia",
        "Moussa|Ibrahima|Souleymane|Abdoulaye|Boubacar",
        "Diallo|Coulibaly|Ouédraogo|Sawadogo|Ndiaye|Camara|Sylla|Maïga|Diop",
    ),
    "gulf-of-guinea": ("CIV TGO BEN", "Adjoa|Akossiwa|Rosine", "Kouassi|Komlan|Yao", "Agbodjan|Dossou|Kouamé|Houénou|Amoussou"),
    "chadian": ("TCD", "Achta|Zenaba", "Mahamat|Abakar", "Abdelkerim|Haroun"),
    "central-africa": (
        "CMR GAB COG COD CAF",
        "Chantal|Pascaline|Grâce|Nadège|Esther",
        "Serge|Fabrice|Hervé|Patrice|Landry",
        "Mbarga|Nzeza|Ndong Mba|Mbemba|Mouanda|Kabongo|Ngoma|Essono|Mabiala|Yandoka",
    ),
    "great-lakes": ("BDI RWA", "Aline|Clarisse|Diane", "Jean-Bosco|Eric|Olivier", "Uwimana|Niyonzima|Habimana|Ndikumana"),
    "equatoguinean": ("GNQ", "Milagrosa|Purificación", "Crisantos|Salvador", "Ondo Nsue|Esono Mba"),
    "malagasy": ("MDG", "Hanitra|Voahangy", "Haja|Tiana", "Rakotomalala|Randrianarisoa"),
    "comorian": ("COM", "Fatima|Zaharia", "Ahmed|Said", "Soilihi|Ahamada"),
    "mauritian": ("MUS", "Anjali|Sheila", "Vikash|Ravi", "Dookun|Seeburn"),
    "seychellois": ("SYC", "Marie-Noëlle|Sybille", "Jean-Claude|Bernard", "Hoareau|Labrosse"),
    "nigerian": ("NGA", "Adaeze|Funmilayo|Ngozi", "Chinedu|Olumide|Emeka", "Okonkwo|Adeyemi|Nwachukwu|Bello"),
    "ghanaian": ("GHA", "Abena|Efua|Akosua", "Kwabena|Kofi|Yaw", "Asante|Boakye|Mensah|Appiah"),
    "upper-guinea": ("SLE LBR GMB", "Mariatu|Isatou|Fatmata", "Foday|Lamin|Momodou", "Kamara|Jallow|Sesay|Ceesay|Kromah"),
    "east-africa": (
        "KEN UGA TZA",
        "Wanjiru|Achieng|Nakato|Neema",
        "Otieno|Mugisha|Baraka|Kiprono",
        "Mwangi|Okello|Mushi|Chebet|Wekesa|Njoroge|Mrisho|Ssempala",
    ),
    "south-sudanese": ("SSD", "Nyandeng|Achol", "Deng|Lual", "Akol|Majok"),
    "horn": ("ETH ERI", "Meron|Selamawit|Hiwot", "Dawit|Yonas|Tesfaye", "Gebremedhin|Alemu|Tadesse|Woldemariam"),
    "somali": ("SOM DJI", "Hodan|Fadumo|Ifrah", "Abdirahman|Abdikarim|Ahmed", "Warsame|Robleh|Hirsi|Dirie"),
    "southern-africa": (
        "ZAF LSO SWZ BWA",
        "Thandiwe|Nomvula|Lerato|Naledi|Lindiwe",
        "Sipho|Tshepo|Themba|Kagiso|Mandla",
        "Nkosi|Mokoena|Mthembu|Mosweu|Ntuli|Molefe|Motsamai",
    ),
    "zambezi": ("ZWE ZMB MWI", "Tendai|Chipo|Mwila", "Tinashe|Mwansa|Chikondi", "Moyo|Banda|Phiri|Chanda|Sibanda|Mwale"),
    "namibian": ("NAM", "Ndapewa|Selma", "Tangeni|Petrus", "Shikongo|Amutenya"),
    # Asia and Australasia
    "levant": ("JOR LBN SYR IRQ", "Rania|Lina|Hanan|Reem", "Ziad|Samir|Walid|Nabil", "Khoury|Haddad|Qassem|Darwish|Al-Obaidi"),
    "gulf": (
        "SAU ARE KWT QAT BHR OMN YEM",
        "Noura|Mariam|Huda|Amal|Maha|Hessa|Reem",
        "Khalid|Omar|Youssef|Saeed|Hamad|Adel|Majed",
        "Al-Mutairi|Al-Zahrani|Al-Kaabi|Al-Hashimi|Al-Harthy|Al-Amri|Al-Rashidi|Al-Kuwari|Al-Ansari|Al-Saadi",
    ),
    "persian": ("IRN AFG", "Maryam|Shirin|Parisa", "Reza|Farid|Dariush", "Karimi|Hosseini|Sharifi|Nazari"),
    "pakistani": ("PAK", "Ayesha|Sana", "Usman|Bilal", "Qureshi|Siddiqui"),
    "bangladeshi": ("BGD", "Farzana|Nasreen", "Tanvir|Rafiqul", "Chowdhury|Rahman"),
    "maldivian": ("MDV", "Aminath|Mariyam", "Ibrahim|Hussain", "Rasheed|Zahir"),
    "hindi-nepali": ("IND NPL", "Priya|Sunita|Kavita", "Rajesh|Arvind|Bikash", "Sharma|Iyer|Shrestha|Kulkarni"),
    "sinhala": ("LKA", "Nadeesha|Dilani", "Chaminda|Ruwan", "Perera|Jayasuriya"),
    "bhutanese": ("BTN", "Pema Choden|Sonam Yangzom", "Tshering Dorji|Karma Tenzin", ""),
    "chinese": ("CHN", "Wang Lihua|Chen Xiaoyan", "Liu Jianguo|Zhao Mingyuan", ""),
    "singaporean": ("SGP", "Tan Hui Min|Lim Pei Shan", "Ng Wei Jie|Koh Boon Keat", ""),
    "korean": ("KOR", "Park Seo-yeon|Jang Hye-jin", "Choi Dong-hyun|Ryu Sung-min", ""),
    "north-korean": ("PRK", "Ri Kyong-hui|Pak Myong-ok", "Kang Chol-min|Ri Song-ho", ""),
    "japanese": ("JPN", "Sato Haruka|Kobayashi Yumi", "Takahashi Kenji|Nakamura Hiroshi", ""),
    "mongolian": ("MNG", "Bolormaa Tsend|Oyunchimeg Batsukh", "Batbayar Ganbold|Erdene Dorj", ""),
    "vietnamese": ("VNM", "Nguyễn Thị Thu Hà|Trần Thị Mai", "Phạm Văn Hùng|Lê Minh Tuấn", ""),
    "thai": ("THA", "Siriporn|Kanokwan", "Somchai|Anan", "Chaiyaporn|Suwannarat"),
    "lao": ("LAO", "Khamla|Manivanh", "Bounmy|Khamphet", "Phommachanh|Sisouk"),
    "khmer": ("KHM", "Sokha|Chanthou", "Vannak|Sopheak", "Chea|Keo"),
    "burmese": ("MMR", "Khin Mar Lwin|Thida Aye", "Kyaw Zin Htet|Aung Myo Min", ""),
    "indonesian": ("IDN", "Ratna Kusumawati|Sri Wahyuni", "Agus Setiawan|Hendra Gunawan", ""),
    "malay": ("MYS BRN", "Nurul Aini|Siti Hajar", "Hafiz Rahman|Azlan Ismail", ""),
    "filipino": ("PHL", "Maria Cristina|Rowena", "Jose Antonio|Ramon", "Dela Cruz|Villanueva"),
    "melanesia": ("FJI PNG SLB VUT", "Losana|Litia|Ruth", "Peni|Tomasi|Kaitu", "Naivalu|Seru|Ilala|Tavoa|Kuman"),
    "polynesia": ("WSM TON TUV", "Mele|Teuila|Alofa", "Sione|Tevita|Iosefa", "Tuilagi|Fonua|Kaufana|Lauina|Tamapua"),
    "micronesia": ("KIR NRU MHL FSM", "Tiarite|Lani|Makerita", "Tebao|Ioane|Kenrick", "Tekeraoi|Maka|Langidrik|Ioanis"),
}

# Portfolios a principal holds, in each working language (French and Spanish: what follows
# "Ministre"/"Ministro"; Arabic: what follows "وزير"; Russian: genitive; English: with its
# preposition).
PORTFOLIOS = {
    "en": [
        "of Communications and Information Technology",
        "of Information and Communications Technology",
        "of the Digital Economy",
        "for Digital Transformation",
        "of Science, Technology and Innovation",
        "of Posts and Telecommunications",
    ],
    "fr": [
        "de l'Économie numérique",
        "de la Communication et de l'Économie numérique",
        "des Postes, des Télécommunications et de l'Économie numérique",
        "de la Transformation numérique",
        "des Technologies de l'information et de la communication",
        "du Numérique et de l'Innovation",
    ],
    "es": [
        "de Tecnologías de la Información y las Comunicaciones",
        "de Transformación Digital",
        "de Ciencia, Tecnología e Innovación",
        "de Telecomunicaciones y Sociedad de la Información",
        "de Economía Digital",
    ],
    "ar": [
        "الاتصالات وتقنية المعلومات",
        "الاقتصاد الرقمي",
        "التحول الرقمي",
        "الاتصالات والاقتصاد الرقمي",
        "البريد والمواصلات السلكية واللاسلكية",
    ],
    "ru": [
        "цифрового развития, связи и массовых коммуникаций",
        "цифрового развития и информационных технологий",
        "связи и информатизации",
        "цифрового развития, инноваций и аэрокосмической промышленности",
        "информационных технологий и связи",
    ],
    "zh": ["工业和信息化部"],
}

# Titles by working language, rank and gender; {p} is the portfolio.
TITLES = {
    "en": {
        "minister": ("Minister {p}", "Minister {p}"),
        "vice-minister": ("Vice-Minister {p}", "Vice-Minister {p}"),
        "deputy-prime-minister": ("Deputy Prime Minister and Minister {p}",) * 2,
        "head-of-delegation": ("Ambassador and Permanent Representative to the United Nations Office at Geneva",) * 2,
    },
    "fr": {
        "minister": ("Ministre {p}", "Ministre {p}"),
        "vice-minister": ("Ministre délégué chargé {p}", "Ministre déléguée chargée {p}"),
        "deputy-prime-minister": ("Vice-Premier ministre, ministre {p}", "Vice-Première ministre, ministre {p}"),
        "head-of-delegation": (
            "Ambassadeur, Représentant permanent auprès de l'Office des Nations Unies à Genève",
            "Ambassadrice, Représentante permanente auprès de l'Office des Nations Unies à Genève",
        ),
    },
    "es": {
        "minister": ("Ministro {p}", "Ministra {p}"),
        "vice-minister": ("Viceministro {p}", "Viceministra {p}"),
        "deputy-prime-minister": ("Viceprimer Ministro y Ministro {p}", "Viceprimera Ministra y Ministra {p}"),
        "head-of-delegation": (
            "Embajador, Representante Permanente ante la Oficina de las Naciones Unidas en Ginebra",
            "Embajadora, Representante Permanente ante la Oficina de las Naciones Unidas en Ginebra",
        ),
    },
    "ar": {
        "minister": ("وزير {p}", "وزيرة {p}"),
        "vice-minister": ("نائب وزير {p}", "نائبة وزير {p}"),
        "deputy-prime-minister": ("نائب رئيس مجلس الوزراء ووزير {p}", "نائبة رئيس مجلس الوزراء ووزيرة {p}"),
        "head-of-delegation": (
            "السفير، المندوب الدائم لدى مكتب الأمم المتحدة في جنيف",
            "السفيرة، المندوبة الدائمة لدى مكتب الأمم المتحدة في جنيف",
        ),
    },
    "ru": {
        "minister": ("Министр {p}",) * 2,
        "vice-minister": ("Заместитель министра {p}",) * 2,
        "deputy-prime-minister": ("Заместитель Председателя Правительства — Министр {p}",) * 2,
        "head-of-delegation": ("Посол, Постоянный представитель при Отделении ООН в Женеве",) * 2,
    },
    "zh": {
        "minister": ("{p}部长",) * 2,
        "vice-minister": ("{p}副部长",) * 2,
        "deputy-prime-minister": ("国务院副总理",) * 2,
        "head-of-delegation": ("常驻联合国日内瓦办事处代表、大使",) * 2,
    },
}

# The Holy See's principal: no ICT minister; its delegation is led by a (male) prelate.
HOLY_SEE_TITLE = "Archevêque, Observateur permanent auprès de l'Office des Nations Unies à Genève"

RANK_COUNTS = {"vice-minister": 8, "deputy-prime-minister": 5, "head-of-delegation": 2}  # + the Holy See
NO_FOCAL_POINT = 19  # about 10%
NO_MISSION = 10  # about 5%

# --- Building the rows ---------------------------------------------------------------------


def fail(message):
    sys.exit(f"make-roster.py: {message}")


def with_article_fr(article, name):
    if article == "l'":
        return "l'" + name
    return f"{article} {name}" if article else name


def rng(purpose):
    """An independent, reproducible random stream per purpose (str seeds hash with SHA-512)."""
    return random.Random(f"{SEED}:{purpose}")


def load_iso():
    entries = {e["alpha_3"]: e for e in json.loads(ISO_JSON.read_text(encoding="utf-8"))["3166-1"]}
    translations = {
        lang: gettext.translation("iso_3166-1", LOCALE_DIR, languages=[locale])
        for lang, locale in [("fr", "fr"), ("es", "es"), ("ar", "ar"), ("ru", "ru"), ("zh", "zh_CN")]
    }
    return entries, translations


def parse_french():
    french = {}
    for line in FRENCH.strip().splitlines():
        parts = line.split(maxsplit=3)
        article = "" if parts[1] == "-" else parts[1]
        french[parts[0]] = (article, parts[2], parts[3] if len(parts) == 4 else None)
    return french


def normalize_ar(name):
    # Unvocalised, as in United Nations Arabic: no shadda; the conjunction و joined to its word.
    return name.replace("\u0651", "").replace(" و ", " و")


def normalize_ru(name):
    return name.replace("ё", "е").replace("Ё", "Е")


def names(entries, tr, french):
    """Per member: every name column, plus the corrections made to iso-codes."""
    rows, corrections = {}, []
    for code in MEMBERS:
        e = entries[code]
        iso_en, iso_fr = e["name"], tr["fr"].gettext(e["name"])
        article_fr, gender_fr, fr_override = french[code]
        en = NAME_EN.get(code, iso_en)
        fr = fr_override or iso_fr
        if en != iso_en or fr != iso_fr:
            corrections.append((code, iso_en, en, iso_fr, fr))
        article_en = "the" if code in THE_EN else ""

        official = e.get("official_name")
        if code in FORMAL_EN:
            formal_en = FORMAL_EN[code]
        elif official and official != iso_en:
            formal_en = official if official.startswith("the ") else "the " + official
        else:
            formal_en = f"the {en}" if article_en else en
        if code in FORMAL_FR:
            formal_fr = FORMAL_FR[code]
        elif official and official != iso_en:
            official_fr = tr["fr"].gettext(official)
            if official_fr.startswith(("l'", "la ", "le ", "les ")):
                formal_fr = official_fr
            else:
                head = official_fr.split(" ")[0]
                if head not in FORMAL_HEAD_FR:
                    fail(f"{code}: no article for the French formal name '{official_fr}'")
                formal_fr = with_article_fr(FORMAL_HEAD_FR[head], official_fr)
        else:
            formal_fr = with_article_fr(article_fr, fr)

        rows[code] = {
            "id": code,
            "m49": e["numeric"],
            "name_en": en,
            "name_fr": fr,
            "name_es": NAME_ES.get(code, tr["es"].gettext(e["name"])),
            "name_ar": normalize_ar(NAME_AR.get(code, tr["ar"].gettext(e["name"]))),
            "name_ru": normalize_ru(NAME_RU.get(code, tr["ru"].gettext(e["name"]))),
            "name_zh": NAME_ZH.get(code, tr["zh"].gettext(e["name"])),
            "formal_name_en": formal_en,
            "formal_name_fr": formal_fr,
            "article_en": article_en,
            "article_fr": article_fr,
            "gender_fr": gender_fr,
        }
    return rows, corrections


def by_member(table):
    """{member: key} from {key: "space-separated members"}, each member exactly once."""
    result = {}
    for key, members in table.items():
        for code in members.split():
            if code in result:
                fail(f"{code} is listed twice")
            result[code] = key
    return result


def principals(languages):
    genders = {"VAT": "male"}
    others = [c for c in MEMBERS if c != "VAT"]
    shuffled = others[:]
    rng("gender").shuffle(shuffled)
    for i, code in enumerate(shuffled):
        genders[code] = "female" if i < len(MEMBERS) // 2 else "male"

    ranks = {c: "minister" for c in MEMBERS}
    ranks["VAT"] = "head-of-delegation"
    shuffled = others[:]
    rng("rank").shuffle(shuffled)
    for rank, count in RANK_COUNTS.items():
        for code in shuffled[:count]:
            ranks[code] = rank
        shuffled = shuffled[count:]

    pools = by_member({group: pool[0] for group, pool in NAME_POOLS.items()})
    people = {}
    for group, (members, female, male, family) in NAME_POOLS.items():
        r = rng(f"names:{group}")
        given = {"female": female.split("|"), "male": male.split("|")}
        for names_ in given.values():
            r.shuffle(names_)
        families = family.split("|") if family else []
        r.shuffle(families)
        used = {"female": 0, "male": 0}
        for i, code in enumerate(sorted(members.split())):
            gender = genders[code]
            first = given[gender][used[gender] % len(given[gender])]
            used[gender] += 1
            if families:
                surname = families[i % len(families)].split("/")
                last = surname[-1] if gender == "female" else surname[0]
                people[code] = f"{first} {last}"
            else:
                people[code] = first  # the pool holds whole names, family name first
    missing = set(MEMBERS) - set(pools)
    if missing:
        fail(f"no name pool for {sorted(missing)}")
    duplicates = [n for n, k in Counter(people.values()).items() if k > 1]
    if duplicates:
        fail(f"placeholder names used twice: {duplicates}")

    titles = {}
    r = rng("portfolio")
    for code in MEMBERS:
        language, rank, gender = languages[code], ranks[code], genders[code]
        portfolio = r.choice(PORTFOLIOS[language])
        if code == "VAT":
            titles[code] = HOLY_SEE_TITLE
        else:
            titles[code] = TITLES[language][rank][0 if gender == "male" else 1].format(p=portfolio)

    no_focal = others[:]
    rng("focal-point").shuffle(no_focal)
    no_mission = others[:]
    rng("mission").shuffle(no_mission)
    no_focal, no_mission = set(no_focal[:NO_FOCAL_POINT]), set(no_mission[:NO_MISSION])

    result = {}
    for code in MEMBERS:
        domain = code.lower()
        result[code] = {
            "principal_name": people[code],
            "principal_placeholder": "yes",
            "principal_title": titles[code],
            "principal_gender": genders[code],
            "principal_rank": ranks[code],
            "email": f"minister@{domain}.gov.example",
            "focal_point_email": "" if code in no_focal else f"focal-point@{domain}.gov.example",
            "mission_email": "" if code in no_mission else f"mission@{domain}.mission.example",
        }
    return result


def build():
    if len(set(UN_MEMBERS)) != 193 or len(MEMBERS) != 193:
        fail(f"expected 193 members, have {len(set(UN_MEMBERS))} UN and {len(MEMBERS)} ITU")
    entries, tr = load_iso()
    french = parse_french()
    regions = by_member(REGIONS)
    languages = by_member(LANGUAGES)
    for code in MEMBERS:
        languages.setdefault(code, "en")
    for what, table in [("French", french), ("region", regions)]:
        if set(table) != set(MEMBERS):
            fail(f"{what} table: missing {sorted(set(MEMBERS) - set(table))}, extra {sorted(set(table) - set(MEMBERS))}")
    if set(languages) != set(MEMBERS):
        fail(f"languages for non-members: {sorted(set(languages) - set(MEMBERS))}")
    named, corrections = names(entries, tr, french)
    people = principals(languages)
    rows = []
    for code in MEMBERS:
        row = dict(named[code])
        row.update(region=regions[code], category="member", language=languages[code])
        row.update(people[code])
        rows.append(row)
    for column in ["id", "m49", "name_en", "name_fr", "principal_name"]:
        values = Counter(r[column] for r in rows)
        if len(values) != len(rows):
            fail(f"{column} not unique: {[v for v, n in values.items() if n > 1]}")
    return rows, corrections


def render(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def markdown_corrections(rows, corrections):
    lines = [
        "| id | iso-codes (en) | name used (en) | iso-codes (fr) | name used (fr) |",
        "| --- | --- | --- | --- | --- |",
    ]
    for code, iso_en, en, iso_fr, fr in corrections:
        same_en = en == iso_en
        same_fr = fr == iso_fr
        lines.append(
            f"| {code} | {iso_en} | {'(same)' if same_en else en} | {iso_fr} | {'(same)' if same_fr else fr} |")
    counts = Counter(r["region"] for r in rows)
    languages = Counter(r["language"] for r in rows)
    lines.append("")
    lines.append("Regions: " + ", ".join(f"{k}: {counts[k]}" for k in sorted(counts)))
    lines.append("Languages: " + ", ".join(f"{k}: {languages[k]}" for k in sorted(languages)))
    return "\n".join(lines) + "\n"


def main(argv):
    rows, corrections = build()
    text = render(rows)
    if "--corrections" in argv:
        sys.stdout.write(markdown_corrections(rows, corrections))
    elif "--check" in argv:
        current = ROSTER.read_bytes() if ROSTER.exists() else b""
        if current != text.encode("utf-8"):
            sys.exit(f"{ROSTER} differs from what make-roster.py generates; run it to regenerate")
        print(f"{ROSTER.name} is up to date ({len(rows)} members)")
    else:
        ROSTER.write_bytes(text.encode("utf-8"))
        print(f"wrote {ROSTER} ({len(rows)} members)")


if __name__ == "__main__":
    main(sys.argv[1:])
