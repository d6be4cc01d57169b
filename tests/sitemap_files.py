"""Reading a built site's sitemaps as a search engine does: the index at the root, then each
sitemap it lists."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def local(site: Path, site_url: str, address: str) -> Path:
    """The file in `site` that an absolute address under `site_url` names."""
    assert address.startswith(site_url), address
    return site / address.removeprefix(site_url)


def listed_sitemaps(site: Path) -> list[str]:
    """The addresses of the sitemaps the index lists."""
    index = ET.parse(site / "sitemap.xml").getroot()
    assert index.tag == f"{{{NS['s']}}}sitemapindex"
    return [loc.text or "" for loc in index.findall("s:sitemap/s:loc", NS)]


def sitemap_pages(site: Path, site_url: str) -> dict[str, dict[str, str]]:
    """Every page the sitemaps list, with its languages (hreflang: address), in their order."""
    pages: dict[str, dict[str, str]] = {}
    for address in listed_sitemaps(site):
        urlset = ET.parse(local(site, site_url, address)).getroot()
        for entry in urlset.findall("s:url", NS):
            loc = entry.findtext("s:loc", namespaces=NS) or ""
            assert loc not in pages, f"{loc} is listed twice"
            pages[loc] = {
                link.get("hreflang", ""): link.get("href", "")
                for link in entry.findall("x:link", NS)
            }
    return pages
