"""Natural persons posting as employers are never named: the rules, and their rates on the real Ecuador export."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from observatory.reporting.privacy import is_natural_person, mask_employers, published_employer

PERSONS = [
    ("ARIAS DIAZ BRYAN ALEXIS", "computrabajo"),
    ("RAMIREZ VIÑANZACA GABRIELA ELIZABETH", "computrabajo"),
    ("María José Pérez", None),
    ("Pablo Damian Di Luca", "bumeran"),
    ("LAURA SASSI", "bumeran"),
    ("DE LA TORRE MOLINA ANA DEL CARMEN", "computrabajo"),
    ("Juan C. Pérez", None),
    ("Dra. Deniss Granda", "computrabajo"),
    ("CHEN WEI", "computrabajo"),
    # Not in the given-name list, but the tax-registry shape of an individual poster on Computrabajo.
    ("QUISHPE TIPANLUISA WAYRA SISA", "computrabajo"),
]
COMPANIES = [
    ("Distribuidora Andina S.A.", None),
    ("Grupo Pérez", None),
    ("Farmacias Cruz Azul", None),
    ("ADECCO ARGENTINA", "bumeran"),
    ("Manpower", None),
    ("GERARDO ORTIZ E HIJOS CIA LTDA", "computrabajo"),
    ("Pino Aristata S. A.", "computrabajo"),
    ("Soluciones y Herramientas S.A. de C.V.", "computrabajo"),
    ("Hospital Carlos Andrade Marín", None),
    ("Consultora María Paz", None),
    ("BairesDev LLC", None),
    ("AROUND THE WORLD ECUADOR", "computrabajo"),
    ("Hidalgo Z & Asociados", None),
    ("Casa Crédito", None),
    ("mi cabaña express s.r.l.", "bumeran"),
]


@pytest.mark.parametrize(("name", "portal"), PERSONS)
def test_natural_persons_are_recognised(name: str, portal: str | None) -> None:
    assert is_natural_person(name, portal)
    assert published_employer(name, portal, "es") == "particular"
    assert published_employer(name, portal, "en") == "private individual"


@pytest.mark.parametrize(("name", "portal"), COMPANIES)
def test_companies_keep_their_name(name: str, portal: str | None) -> None:
    assert not is_natural_person(name, portal)
    assert published_employer(name, portal) == name


def test_registry_shape_rule_is_computrabajo_only() -> None:
    # Elsewhere an all-capitals brand of four words is not taken for a person without a given name.
    assert is_natural_person("QUISHPE TIPANLUISA WAYRA SISA", "computrabajo")
    assert not is_natural_person("QUISHPE TIPANLUISA WAYRA SISA", "bumeran")


def test_empty_and_odd_values() -> None:
    assert not is_natural_person(None) and not is_natural_person("") and not is_natural_person("   ")
    assert published_employer(None) is None
    frame = pd.DataFrame(
        {"company": ["ARIAS DIAZ BRYAN ALEXIS", None, "Manpower"], "portal": ["computrabajo", "bumeran", "bumeran"]}
    )
    masked = mask_employers(frame, language="en")
    assert masked["company"].tolist()[0] == "private individual" and masked["company"].tolist()[2] == "Manpower"
    assert masked["company"].isna().tolist() == [False, True, False]
    assert frame["company"].iloc[0] == "ARIAS DIAZ BRYAN ALEXIS"  # the input is left alone


def _benchmark() -> object:
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "employer_privacy.py"
    spec = importlib.util.spec_from_file_location("employer_privacy", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rates_on_the_ecuador_export(shared_dir: Path) -> None:
    """All 903 employers of the real export, each read and labelled (labels stored as hashes of the names)."""
    bench = _benchmark()
    names = pd.read_csv(shared_dir / "postings" / "computrabajo_ec_2024.csv.gz", usecols=["empresa"])
    unique = names["empresa"].dropna().drop_duplicates().tolist()
    table = bench.confusion(unique, bench.load_labels())  # type: ignore[attr-defined]
    everything = table["all"]
    assert everything["unlabelled"] == 0 and sum(everything.values()) == 903
    persons, companies = everything["tp"] + everything["fn"], everything["fp"] + everything["tn"]
    assert persons >= 100  # about one employer in seven is a natural person
    assert everything["fn"] / persons <= 0.03  # persons published by name
    assert everything["fp"] / companies <= 0.01  # companies shown as "particular"
    for sample in ("heldout_a", "heldout_b"):  # read after the rules were written
        c = table[sample]
        assert c["fn"] / (c["tp"] + c["fn"]) <= 0.06
