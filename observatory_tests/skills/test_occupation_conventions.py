"""Occupation coding by the readers' conventions (issue 16, part 4): where the validated sets' readers code a class
of titles one way and the coder read it another (an analyst of payments as a professional, a plant operator as a
labourer), each title here coded otherwise before the convention it tests, and guards that titles the convention
does not cover keep their codes."""

from __future__ import annotations

import pytest

from observatory.skills.occupations import OccupationCoder, transaction_clerk

# A description that names no job: the title alone decides.
NEUTRAL = "Sumate a nuestro equipo. Ofrecemos buen clima laboral y estabilidad. Enviá tu CV."


@pytest.fixture(scope="module")
def coder() -> OccupationCoder:
    return OccupationCoder()


@pytest.mark.parametrize(
    ("title", "group"),
    [
        # An analyst of a transaction processes it: its clerk, whatever other field the title names.
        ("Analista Impositivo y de Liquidación de Sueldos", "4313"),
        ("Analista Contable y de Cuentas a Pagar", "4311"),
        ("Analista de Créditos y Cuentas Corrientes", "4311"),
        ("Analista de Costos y Facturación", "4311"),
        ("Especialista en Medios de Pago", "4311"),
        ("Consultor de Medios de Pago", "4311"),
        # English titles too.
        ("Collections Analyst Sr", "4311"),
        ("Analista de Payments - Fintech", "4311"),
    ],
)
def test_an_analyst_of_a_transaction_is_its_clerk(coder: OccupationCoder, title: str, group: str) -> None:
    code = coder.code(title, NEUTRAL)
    assert code.isco_code == group, (title, code)


@pytest.mark.parametrize(
    ("title", "group"),
    [
        # Analysts of taxes, costs, accounts and financial planning analyse: professionals or associates.
        ("Analista Contable Ssr - Pilar", "2411"),
        ("Analista de Impuestos Jr", "2411"),
        ("Analista de Costos Sr", "3313"),
        ("Analista de Planeamiento Financiero", "2413"),
        # A functional (IT) analyst of payment systems is an IT analyst.
        ("Analista Funcional de Medios de Pago", "2511"),
        # Heads of a transaction's team are no analysts.
        ("Coordinador de Tesorería", "2411"),
    ],
)
def test_analysts_of_no_transaction_keep_their_codes(coder: OccupationCoder, title: str, group: str) -> None:
    code = coder.code(title, NEUTRAL)
    assert code.isco_code == group, (title, code)


@pytest.mark.parametrize(
    ("key", "group", "expected"),
    [
        ("analista contable y de nomina", "2411", "4313"),
        ("analista de creditos y cobranzas", "3312", "4311"),
        ("analista funcional de pagos", "2511", "2511"),  # not a business field's analyst
        ("coordinador de cobranzas", "2411", "2411"),  # not an analyst
        ("analista de impuestos", "2411", "2411"),  # no transaction
    ],
)
def test_transaction_clerk(key: str, group: str, expected: str) -> None:
    assert transaction_clerk(key, group) == expected
