"""Which event country codes each bundled country shape stands for."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def numeric_to_iso3() -> dict[str, list[str]]:
    """Shape key (ISO numeric id, or 'name:<name>' for shapes without one) -> country codes."""
    import pycountry

    out: dict[str, list[str]] = {
        str(country.numeric): [country.alpha_3] for country in pycountry.countries
    }
    text = resources.files("eventwire.serve").joinpath("geo_names.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, codes = line.split("\t")
        out[f"name:{name}"] = codes.split("|")
    return out
