# ruff: noqa: E501  (HTML templates keep the portals' long lines)
"""Render the invented postings of :mod:`~observatory.scraping.snapshot.data` into each portal's page structure.

``python -m observatory.scraping.snapshot.build`` rewrites ``snapshot/sites/<source>/``; the files are
committed, so the demo and tests need nothing but this package. Pages use the real sites' host names;
the loopback server rewrites them to its own address as it serves them.
"""

from __future__ import annotations

import json
import shutil
import zlib
from datetime import datetime, timedelta
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from observatory.scraping.normalize import fold
from observatory.scraping.snapshot.data import BUILD_NOW, Posting, build_postings
from observatory.scraping.snapshot.layout import SITES, SNAPSHOT_SOURCES, url_to_file
from observatory.sources import SOURCES

CT_PAGE = 20
EE_PAGE = 10
MONTHS_ABBR = ["Ene", "Feb", "Mar", "Abr", "May", "Jun", "Jul", "Ago", "Sep", "Oct", "Nov", "Dic"]
ROBOTS = "User-agent: *\nDisallow: /candidato/\nDisallow: /empresas/privado/\nCrawl-delay: 1\n"


def slugify(text: str) -> str:
    out = "".join(c if c.isalnum() else "-" for c in fold(text))
    return "-".join(x for x in out.split("-") if x)


def relative(posted: datetime) -> str:
    """How Computrabajo's cards print a date (note the doubled spaces)."""
    delta = BUILD_NOW - posted
    if delta < timedelta(days=1):
        return f"Hace  {max(1, int(delta.total_seconds() // 3600))}  horas"
    if delta < timedelta(days=2):
        return "Ayer"
    if delta <= timedelta(days=30):
        return f"Hace  {delta.days}  días"
    return "Hace más de 30 días"


def money(value: int) -> str:
    return f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")


def ct_salary(p: Posting) -> str | None:
    if not p.salary:
        return None
    low, high = p.salary
    return f"$ {money(low)} (Mensual)" if low == high else f"$ {money(low)} a $ {money(high)} (Mensual)"


def ct_url(p: Posting) -> str:
    host = SOURCES[p.source].base_url
    return f"{host}/ofertas-de-trabajo/oferta-de-trabajo-de-{slugify(p.title)}-en-{slugify(p.city)}-{p.native_id}"


def ct_text(p: Posting) -> str:
    lines = []
    for para in p.description:
        lines.append("· " + para[2:] if para.startswith("- ") else "\n" + para)
    return escape("\n".join(lines).strip())


def ct_card(p: Posting, index: int) -> str:
    native = p.extra.get("bad_id", p.native_id)
    path = urlsplit(ct_url(p)).path
    if p.company:
        company = (
            '<p class="dFlex vm_fx fs16 fc_base mt5">\n    <span class="fx_none mr10"><span class="fwB">4,2</span>'
            '<span class="star"></span></span>\n    <span class="icon i_verificada mr5"></span>\n'
            f'    <a class="fc_base t_ellipsis" href="{SOURCES[p.source].base_url}/{slugify(p.company)}" '
            f'target="_blank" offer-grid-article-company-url="">\n        {escape(p.company)}\n    </a>\n</p>'
        )
    else:
        company = '<p class="dFlex vm_fx fs16 fc_base mt5">\nImportante empresa del sector    </p>'
    location = (
        f'<p class="fs16 fc_base mt5">\n    <span class="mr10">\n        {escape(p.city)}, {escape(p.region)}\n'
        "    </span>\n</p>"
        if index % 4 != 3
        else ""
    )
    chips = []
    salary = ct_salary(p)
    if salary:
        chips.append(f'<span class="dIB mr10"><span class="icon i_salary"></span>\n {salary}</span>')
    icon = {"Remoto": "i_home", "Presencial y remoto": "i_home_office"}.get(p.mode)
    if icon:
        chips.append(f'<span class="dIB mr10"><span class="icon {icon}"></span>\n {p.mode}</span>')
    chip_html = f'<div class="fs13 mt15">\n{"".join(chips)}\n</div>' if chips else ""
    return f"""<article class="box_offer" data-id="{native}" id="{native}" data-lc="ListOffers-Score4-{index}">
<h2 class="fs18 fwB prB">
    <a class="js-o-link fc_base" href="{path}#lc=ListOffers-Score4-{index}">
        {escape(p.title)}
    </a>
</h2>
{company}
{location}
{chip_html}
<p class="fs13 fc_aux mt15">
    {relative(p.posted)}
</p>
</article>"""


def ct_listing(source: str, postings: list[Posting], path: str, title: str) -> dict[str, str]:
    host = SOURCES[source].base_url
    country = source.split("-")[0]
    pages: dict[str, str] = {}
    chunks = [postings[i : i + CT_PAGE] for i in range(0, len(postings), CT_PAGE)] or [[]]
    for n, chunk in enumerate(chunks, start=1):
        cards = "\n".join(ct_card(p, i) for i, p in enumerate(chunk))
        prev_ = '<span class="b_primary_inv fwB disabled w48 cp">Anterior</span>'
        nxt = ""
        if n < len(chunks):
            nxt = (
                f'<span class="b_primary w48 buildLink cp" data-path="{host}{path}?p={n + 1}" '
                'title="Siguiente">\n    Siguiente\n</span>'
            )
        pages[f"{path}?p={n}" if n > 1 else path] = f"""<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="es-{country.upper()}">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{escape(title)} | Computrabajo</title>
</head>
<body>
<h1 class="fs24 fwB">{escape(title)}</h1>
<div class="box_offers" id="offersGridOfferContainer">
{cards}
</div>
<div class="dFlex vm_fx tj_fx mtB">
{prev_}
{nxt}
</div>
</body>
</html>
"""
    return pages


def ct_jsonld(p: Posting) -> str:
    value: dict[str, object] = {"@type": "QuantitativeValue", "value": 0, "unitText": "MONTH"}
    if p.salary:
        low, high = p.salary
        value = (
            {"@type": "QuantitativeValue", "value": low, "unitText": "MONTH"}
            if low == high
            else {"@type": "QuantitativeValue", "minValue": low, "maxValue": high, "unitText": "MONTH"}
        )
    currency = SOURCES[p.source].currency
    posting = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": p.title,
        "description": "\n".join(p.description),
        "datePosted": p.posted.date().isoformat(),
        "validThrough": (p.posted + timedelta(days=60)).date().isoformat(),
        "employmentType": "FULL_TIME",
        "url": ct_url(p),
        "hiringOrganization": {"@type": "Organization", "name": p.company or "Importante empresa del sector"},
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": p.city,
                "addressRegion": p.region,
                "addressCountry": p.country.upper(),
            },
        },
        "baseSalary": {"@type": "MonetaryAmount", "currency": currency, "value": value},
        "salaryCurrency": currency,
    }
    if p.mode == "Remoto":
        posting["jobLocationType"] = "TELECOMMUTE"
    graph = {"@graph": [{"@type": "Organization", "name": "Computrabajo", "@context": "https://schema.org/"}, posting]}
    # "</" cannot appear raw inside a script element.
    return json.dumps(graph, ensure_ascii=False, indent=1).replace("</", "<\\/")


def ct_detail(p: Posting) -> tuple[str, str]:
    chips = [ct_salary(p) or "A convenir", p.contract, "Tiempo Completo"]
    if p.mode != "Presencial":
        chips.append(p.mode)
    reqs = [f"Educación mínima: {p.education}", f"{p.years} años de experiencia"]
    if p.languages:
        reqs.append(f"Idiomas: {p.languages}")
    reqs.append("Conocimientos: " + ", ".join(p.skills))
    req_html = "".join(f'<li class="mb10">{escape(r)}</li>' for r in reqs)
    chip_html = "\n".join(f'\t\t<span class="tag base mb10">{escape(c)}</span>' for c in chips)
    header = f"{escape(p.company or 'Importante empresa del sector')} - {escape(p.city)}, {escape(p.region)}"
    encoding = p.extra.get("encoding", "utf-8")
    if p.extra.get("markup") == "microdata":
        body_items = "".join(
            f"<li>{escape(x[2:])}</li>" if x.startswith("- ") else f"<p>{escape(x)}</p>" for x in p.description
        )
        body = f"""<div class="box_detail" itemscope itemtype="http://schema.org/JobPosting">
<h1 class="fwB fs24" itemprop="title">{escape(p.title)}</h1>
<p class="fs16"><span itemprop="hiringOrganization" itemscope itemtype="http://schema.org/Organization"><span itemprop="name">{escape(p.company or "Importante empresa del sector")}</span></span> -
<span itemprop="jobLocation" itemscope itemtype="http://schema.org/Place"><span itemprop="address" itemscope itemtype="http://schema.org/PostalAddress"><span itemprop="addressLocality">{escape(p.city)}</span>, <span itemprop="addressRegion">{escape(p.region)}</span></span></span></p>
<meta itemprop="datePosted" content="{p.posted.date().isoformat()}">
<meta itemprop="employmentType" content="{escape(p.contract)}">
<div itemprop="description"><ul>{body_items}</ul></div>
<p class="fc_aux fs13">{relative(p.posted)}</p>
</div>"""
        head_ld = ""
    else:
        head_ld = f'<script type="application/ld+json">\n{ct_jsonld(p)}\n</script>'
        body = f"""<div class="container">
<h1 class="fwB fs24 mb5 box_detail w100_m">{escape(p.title)}</h1>
<p class="fs16">{header}</p>
</div>
<div class="mb40 pb40 bb1" div-link="oferta">
\t<h3 class="fwB fs18 mb20">Descripción de la oferta</h3>
\t<div class="mbB">
{chip_html}
\t</div>
\t<p class="mbB">{ct_text(p)}</p>
\t<p class="fwB fs18 mtB mb10">Requerimientos</p>
\t<ul class="disc mbB">{req_html}</ul>
\t<p class="fc_aux fs13">{relative(p.posted)}</p>
\t<a class="b_primary big" data-href-offer-apply="/candidate/apply/?oi={p.native_id}">Aplicar</a>
</div>"""
    page = f"""<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="es-{p.country.upper()}"><head>
<meta http-equiv="Content-Type" content="text/html; charset={encoding}">
<title>Empleo de {escape(p.title)} en {escape(p.city)} | Computrabajo</title>
<link rel="canonical" href="{ct_url(p)}">
{head_ld}
</head>
<body>
{body}
</body>
</html>
"""
    return page, encoding


def ct_site(source: str, postings: list[Posting]) -> dict[str, bytes]:
    files: dict[str, bytes] = {"robots.txt": ROBOTS.encode()}
    ordered = sorted(postings, key=lambda p: p.posted, reverse=True)
    listings = ct_listing(source, ordered, "/ofertas-de-trabajo/", "Ofertas de trabajo")
    python = [p for p in ordered if "Python" in p.skills]
    listings.update(ct_listing(source, python, "/trabajo-de-python", "Trabajo de python"))
    for url, html in listings.items():
        files[url_to_file(url)] = html.encode("utf-8")
    for p in ordered:
        if p.extra.get("detail") == "gone" or "bad_id" in p.extra:
            continue
        page, encoding = ct_detail(p)
        files[url_to_file(urlsplit(ct_url(p)).path)] = page.encode(encoding)
    return files


# --------------------------------------------------------------------------------------- Bumeran


def bumeran_record(p: Posting) -> dict[str, object]:
    text = ""
    for para in p.description:
        text += ("● " + para[2:]) if para.startswith("- ") else para
    local = p.posted
    mode = {"Presencial y remoto": "Híbrido"}.get(p.mode, p.mode)
    return {
        "id": int(p.native_id),
        "titulo": p.title,
        "detalle": text,
        "aptoDiscapacitado": False,
        "idEmpresa": zlib.crc32(p.company.encode()) % 900000 if p.company else None,
        "empresa": p.company or "Confidencial",
        "confidencial": p.company is None,
        "logoURL": None,
        "fechaHoraPublicacion": local.strftime("%d-%m-%Y %H:%M:%S"),
        "fechaPublicacion": local.strftime("%d-%m-%Y"),
        "fechaModificado": local.strftime("%d-%m-%Y %H:%M:%S"),
        "portal": "bumeran",
        "tipoTrabajo": "Full-time",
        "idPais": 1,
        "idArea": 1 + sum(map(ord, p.role)) % 20,
        "idSubarea": 100 + sum(map(ord, p.title)) % 50,
        "localizacion": f"{p.city}, {p.region}",
        "cantidadVacantes": 1 + int(p.native_id) % 3,
        "modalidadTrabajo": mode,
        "estado": "ACTIVO",
        "tipoAviso": "simple",
    }


def bumeran_site(postings: list[Posting]) -> dict[str, bytes]:
    ordered = sorted(postings, key=lambda p: p.posted, reverse=True)
    records = [bumeran_record(p) for p in ordered]
    shell = """<!DOCTYPE html><html lang="es-AR"><head><meta charset="utf-8"><title>Bumeran Argentina</title></head>
<body><div id="root"></div><script>window.__PRELOADED_STATE__={}</script></body></html>
"""
    return {
        "robots.txt": (ROBOTS + "Disallow: /api/candidates/postulaciones/\n").encode(),
        "empleos.html": shell.encode(),
        "api/avisos.json": json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8"),
    }


# -------------------------------------------------------------------------------------- ElEmpleo


def ee_salary(p: Posting) -> str:
    if not p.salary:
        return "Salario a convenir"

    # Salaries are in pesos: "$2,4 a $3 millones" (dividing by a thousand wrote 1000x too much).
    def millions(v: int) -> str:
        return f"${v / 1_000_000:g}".replace(".", ",")

    low, high = p.salary
    if high == low:
        return f"{millions(low)} millones"
    return f"{millions(low)} a {millions(high)} millones"


def ee_date(p: Posting) -> str:
    return f"Publicado {p.posted.day} {MONTHS_ABBR[p.posted.month - 1]} {p.posted.year}"


def ee_url(p: Posting) -> str:
    return f"https://www.elempleo.com/co/ofertas-trabajo/{slugify(p.title)}/{p.native_id}"


def ee_card(p: Posting, position: int) -> str:
    layer = {
        "event": "productClick",
        "ecommerce": {
            "click": {
                "actionField": {"list": "ResultadoOfertas"},
                "products": [
                    {
                        "name": p.title,
                        "id": int(p.native_id),
                        "brand": "elempleo",
                        "position": position,
                        "dimension7": p.company or "Empresa confidencial",
                        "dimension21": ee_salary(p),
                        "dimension11": p.city,
                        "dimension13": p.posted.strftime("%d/%m/%Y"),
                    }
                ],
            }
        },
    }
    return f"""<div class="result-item">
    <div class="js-area-bind area-bind" data-url="{ee_url(p)}?trabajo=" datalayertag='{escape(json.dumps(layer, ensure_ascii=False), quote=True)}'>
        <ul class="list-unstyled result-info">
            <li><h2 class="h4 item-title ee-mod">
                <a class="text-ellipsis js-offer-title" href="{ee_url(p)}" title="{escape(p.title)}">
                    {escape(p.title)}
                </a></h2></li>
            <li><h3 class="company-name-text ee-mod"><span><span class="info-company-name js-offer-company">
                {escape(p.company or "Empresa confidencial")}
            </span></span></h3></li>
            <li>
                <span class="text-primary info-salary js-offer-salary" data-ws="true">{ee_salary(p)}</span>
                <span><span><span class="info-city js-offer-city"><i class="fa fa-map-marker icon"></i>
                    {escape(p.city)}</span></span></span>
                <span class="info-publish-date pull-right js-offer-date"><i class="fa fa-clock-o icon"></i>
                    {ee_date(p)}</span>
            </li>
        </ul>
    </div>
    <div class="wrapper-btn-item hidden-xs">
        <button class="btn btn-ghost-reverse btn-block js-quickview" data-joboffer="{p.native_id}" type="button">Vista rápida</button>
    </div>
</div>"""


def ee_detail(p: Posting) -> str:
    blocks = []
    bullets: list[str] = []
    for para in [*p.description, ""]:
        if para.startswith("- "):
            bullets.append(f"<li>{escape(para[2:])}</li>")
            continue
        if bullets:
            blocks.append("<ul>" + "".join(bullets) + "</ul>")
            bullets = []
        if para:
            blocks.append(f"<p>{escape(para)}</p>")
    contract = p.contract.replace("Contrato a ", "").replace("Contrato de ", "").replace("Contrato por ", "")
    mode = {"Presencial y remoto": "Híbrido"}.get(p.mode, p.mode)
    return f"""<!DOCTYPE html>
<html lang="es"><head><meta charset="utf-8"><title>{escape(p.title)} | elempleo.com</title></head>
<body>
<div class="offer-main">
  <h1 class="ee-offer-title js-jobOffer-title">{escape(p.title)}</h1>
  <h2 class="ee-company"><span class="js-company-name">{escape(p.company or "Empresa confidencial")}</span></h2>
  <div class="eeoffer-data-wrapper">
    <p><i class="fa fa-money"></i> <span class="js-joboffer-salary">{ee_salary(p)}</span></p>
    <p><i class="fa fa-map-marker"></i> <span class="js-joboffer-city">{escape(p.city)}</span></p>
    <p><i class="fa fa-clock-o"></i> <span class="js-publish-date">{ee_date(p)}</span></p>
    <ul class="list-unstyled js-joboffer-data">
      <li>Nivel de estudios: <span class="js-joboffer-education">{escape(p.education)}</span></li>
      <li>Experiencia: <span class="js-joboffer-experience">{p.years} años</span></li>
      <li>Tipo de contrato: <span class="js-joboffer-contract">{escape(contract)}</span></li>
      <li>Modalidad: <span class="js-joboffer-workmode">{escape(mode)}</span></li>
      <li>Vacantes: 1</li>
    </ul>
  </div>
  <div class="description-block">
    {"".join(blocks)}
  </div>
  <button class="btn js-apply" data-joboffer="{p.native_id}">Aplicar</button>
</div>
</body></html>
"""


def ee_site(postings: list[Posting]) -> dict[str, bytes]:
    files: dict[str, bytes] = {"robots.txt": ROBOTS.encode()}
    ordered = sorted(postings, key=lambda p: p.posted, reverse=True)
    chunks = [ordered[i : i + EE_PAGE] for i in range(0, len(ordered), EE_PAGE)]
    for n, chunk in enumerate(chunks, start=1):
        cards = "\n".join(ee_card(p, i + 1) for i, p in enumerate(chunk))
        pagination = {"pageIndex": n, "pageSize": EE_PAGE, "totalPages": len(chunks), "totalRecords": len(ordered)}
        nxt = (
            f'<li class=""><a class="js-btn-next" href="https://www.elempleo.com/co/ofertas-empleo/?trabajo=&amp;pagina={n + 1}" aria-label="Next">›</a></li>'
            if n < len(chunks)
            else '<li class="disabled"><a class="js-btn-next" href="#" aria-label="Next">›</a></li>'
        )
        html = f"""<!DOCTYPE html>
<html lang="es"><head><meta charset="utf-8"><title>Ofertas de empleo en Colombia | elempleo.com</title></head>
<body>
<h1 class="h4 js-result-h1">Ofertas de empleo</h1>
<div class="js-results-container" data-pagination='{json.dumps(pagination)}'>
{cards}
</div>
<div class="js-pagination pagination-wrapper"><ul class="pagination ee-mod">{nxt}</ul></div>
</body></html>
"""
        files[f"co/ofertas-empleo/index{'' if n == 1 else f'.p{n}'}.html"] = html.encode("utf-8")
    for p in ordered:
        files[urlsplit(ee_url(p)).path.lstrip("/") + ".html"] = ee_detail(p).encode("utf-8")
    return files


def build(target: Path = SITES) -> dict[str, int]:
    """Write every site of the snapshot under ``target``; returns the number of postings per source."""
    postings = build_postings()
    by_source: dict[str, list[Posting]] = {s: [] for s in SNAPSHOT_SOURCES}
    for p in postings:
        by_source[p.source].append(p)
    if target.exists():
        shutil.rmtree(target)
    for source, items in by_source.items():
        portal = SOURCES[source].portal
        if portal == "computrabajo":
            files = ct_site(source, items)
        elif portal == "bumeran":
            files = bumeran_site(items)
        else:
            files = ee_site(items)
        for name, data in files.items():
            path = target / source / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    return {s: len(v) for s, v in by_source.items()}


if __name__ == "__main__":
    print(build())
