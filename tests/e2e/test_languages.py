"""A walk in another language, end to end in a pseudo-terminal: the screens show the
translation (protocol and interface), the record keeps the original labels."""

from __future__ import annotations

import json
import re
from pathlib import Path

from test_pty import ENTER, finish, spawn

from conftest import TESTS

PROTOCOL = str(TESTS / "data" / "i18n" / "every-kind.yaml")


def test_a_plain_walk_in_spanish_records_the_original_labels(tmp_path: Path) -> None:
    child = spawn("run", PROTOCOL, "--lang", "es", "--plain", "--json", tmp_path=tmp_path)
    child.expect_exact("Todos los tipos de paso")
    child.expect_exact("español: 34 de 34 textos traducidos (100 %)")
    child.expect_exact("borrador de traducción")
    child.expect_exact("Explique lo que va a pasar")
    child.expect_exact("1) Continuar")
    child.sendline("1")
    child.expect_exact("Marque las señales de alerta que observe.")
    child.expect_exact("1) Dice que es una carga")
    child.expect_exact("2) Se aleja de los demás")
    child.sendline("1")
    child.expect_exact("¿Está pensando en quitarse la vida?")
    child.expect_exact("No estará pensando en hacer una tontería")
    child.expect_exact("1) Sí")
    child.expect_exact("3) No está claro")
    child.sendline("1")
    child.expect_exact("Acuerde con la persona")
    child.sendline("1")  # done
    child.expect_exact('"outcome": "concern"')
    child.expect_exact('"answer": "Yes"')
    child.expect_exact('"language": "es"')
    assert finish(child) == 0


def test_an_arrow_key_walk_in_spanish_saves_a_record_in_the_original(tmp_path: Path) -> None:
    record = tmp_path / "record.md"
    child = spawn("run", PROTOCOL, "--lang", "es", "--transcript", str(record), tmp_path=tmp_path)
    child.expect_exact("español: 34 de 34 textos traducidos (100 %)")
    child.expect("Cuando quiera continuar")
    child.send(ENTER)
    child.expect("Marque cada elemento que corresponda")
    child.expect_exact("Dice que es una carga")
    child.send(" " + ENTER)  # tick the first item
    child.expect_exact("¿Está pensando en quitarse la vida?")
    child.expect("Respuesta de la persona")
    child.send(ENTER)  # Sí
    child.expect_exact("Acuerde con la persona")
    child.expect("Realizó este paso")
    child.send(ENTER)  # Done
    child.expect_exact("Resultado: concern")
    child.expect_exact("Hagan juntos un plan de seguridad")
    child.send("q")
    child.expect("se guardó el registro de la sesión")  # the interface, in Spanish too
    assert finish(child) == 0
    text = record.read_text("utf-8")
    assert re.search(r"\| Language \| es \(100% of 34 strings translated; draft", text)
    assert "Talks of being a burden" in text
    assert "Dice que es una carga" not in text


def test_the_answers_recorded_in_spanish_are_the_original_labels(tmp_path: Path) -> None:
    child = spawn("run", PROTOCOL, "--lang", "es", "--plain", "--json", tmp_path=tmp_path)
    for answer in ("1", "1 3", "1", "1"):
        child.expect("Escriba (un número|los números)")
        child.sendline(answer)
    child.expect(pexpect_eof())
    child.close()
    start = (child.before or "").index("{")
    result = json.loads(child.before[start:])
    answers = {s["node"]: s["answer"] for s in result["path"]}
    assert answers["signs"] == ["Talks of being a burden", "Seeking means"]
    assert answers["ask-thoughts"] == "Yes"
    assert result["outcome"] == "urgent"


def pexpect_eof() -> object:
    import pexpect

    return pexpect.EOF


def test_the_suicide_risk_screen_walks_in_spanish_end_to_end(tmp_path: Path) -> None:
    """The built-in screen and its Spanish translation: interface and content in Spanish,
    the answers recorded as the protocol's own labels."""
    child = spawn("run", "suicide-risk-screen", "--lang", "es", "--plain", "--json",
                  tmp_path=tmp_path)  # fmt: skip
    child.expect_exact("Tamizaje del riesgo de suicidio")
    child.expect_exact("Herramienta de capacitación y ensayo")
    child.expect(r"español: (\d+) de \1 textos traducidos \(100 %\)")
    child.expect_exact("borrador de traducción")
    child.expect_exact("Antes de preguntar")
    child.expect_exact("1) Continuar")
    child.sendline("1")
    child.expect_exact("Deseo de morir")
    child.expect_exact("Pregunte (dígalo directamente):")
    child.expect_exact("Evite decir:")
    child.expect_exact("1) Sí")
    child.sendline("1")  # Sí
    child.expect_exact("Pensamientos de suicidio")
    child.expect_exact("Escriba un número y luego Enter")
    child.sendline("2")  # No
    child.expect_exact("Conducta suicida")
    child.expect_exact("Escriba un número y luego Enter")
    child.sendline("2")  # No
    child.expect_exact('"outcome":')
    child.expect_exact('"node": "wish-dead",\r\n      "answer": "Yes"')
    child.expect_exact('"language": "es"')
    assert finish(child) == 0
