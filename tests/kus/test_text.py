from __future__ import annotations

import pytest

from kus.text import (
    minhash,
    readability,
    render_markdown,
    similarity,
    syllables,
    word_diff,
)

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](  javascript:alert(1))",
    '<a href="javascript:alert(1)">klik</a>',
    '<img src=x onerror="alert(1)">',
    "![x](javascript:alert(1))",
    '<svg onload="alert(1)"></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p onclick="alert(1)">tik</p>',
    "<body onload=alert(1)>",
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)">',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<form action="https://evil.example"><input type="submit"></form>',
    '<object data="javascript:alert(1)"></object>',
    '"><script>alert(1)</script>',
    "[a](vbscript:msgbox(1))",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_known_xss_payloads_in_markdown_render_inert(payload):
    html = str(render_markdown(f"Tekst\n\n{payload}\n\nEinde")).lower()
    assert "<script" not in html
    assert "javascript:" not in html
    assert "vbscript:" not in html
    assert "data:text/html" not in html
    assert " on" not in html.replace("<p>", "")  # no event-handler attribute survives
    for tag in ("<iframe", "<svg", "<object", "<form", "<input", "<style", "<body"):
        assert tag not in html


def test_markdown_keeps_headings_lists_tables_links_and_images():
    html = str(
        render_markdown(
            "# Titel\n\n- een\n- twee\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
            "[Intranet](https://intranet.stad.gent) ![plan](https://stad.gent/plan.png)"
        )
    )
    assert "<h2>Titel</h2>" in html  # the page title is the only h1
    assert "<li>een</li>" in html and "<table>" in html and "<td>1</td>" in html
    assert (
        'href="https://intranet.stad.gent"' in html and 'rel="noopener noreferrer nofollow"' in html
    )
    assert '<img alt="plan" src="https://stad.gent/plan.png">' in html


def test_the_word_diff_marks_whole_words_and_escapes_html():
    html, stats = word_diff("De <b>prijs</b> is 10 euro.", "De <b>prijs</b> is 12 euro per dag.")
    assert "<del>10</del>" in html and "<ins>12</ins>" in html
    assert "&lt;b&gt;prijs&lt;/b&gt;" in html
    assert (stats.added, stats.removed) == (4, 2)  # "12", "euro", "per", "dag." for "10", "euro."


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("kat", 1),
        ("fiets", 1),
        ("vergoeding", 3),
        ("samenwerkingsverband", 6),
        ("thuiswerk", 2),
        ("idee", 2),
        ("overeenkomstig", 5),
        ("ruimte", 2),
    ],
)
def test_it_counts_dutch_syllables(word, count):
    assert syllables(word) == count


def test_the_flesch_douma_score_of_a_known_simple_sentence():
    # 6 words, 6 syllables, 1 sentence: 206.835 - 0.93 * 6 - 77 * 1 = 124.255
    result = readability("De kat zit op de mat.")
    assert result.score == pytest.approx(124.3, abs=0.05)
    assert result.level == "easy"


def test_the_flesch_douma_score_of_a_known_hard_sentence():
    text = (
        "Overeenkomstig de toepasselijke reglementaire bepalingen inzake arbeidsongevallen "
        "dient de werkgever onverwijld de nodige administratieve formaliteiten te vervullen."
    )
    result = readability(text)
    # Counted by hand: 17 words, 1 sentence, 56 syllables (o-ver-een-kom-stig, toe-pas-se-lij-ke,
    # ...): 206.835 - 0.93 * 17 - 77 * 56 / 17 = -62.6
    assert (result.words, result.sentences) == (17, 1)
    assert result.score == pytest.approx(-62.6, abs=0.05)
    assert result.level == "hard"
    assert "arbeidsongevallen" in result.long_words


def test_it_flags_sentences_of_more_than_25_words():
    long = " ".join(["woord"] * 30) + "."
    result = readability(f"Kort. {long}")
    assert result.long_sentences == [long]


def test_near_identical_texts_have_a_high_minhash_similarity():
    base = (
        "Medewerkers die met de fiets naar het werk komen krijgen een vergoeding per kilometer. "
        "De vergoeding wordt maandelijks uitbetaald samen met het loon. Je geeft je ritten door "
        "via het personeelsportaal voor de vijfde werkdag van de maand."
    )
    changed = base.replace("vijfde", "tiende")
    other = (
        "In alle stadsgebouwen geldt een rookverbod. Roken kan enkel op de aangeduide plaatsen "
        "buiten, op minstens acht meter van de ingang."
    )
    assert similarity(minhash(base), minhash(changed)) >= 0.6
    assert similarity(minhash(base), minhash(other)) <= 0.1
    assert minhash(base) == minhash(base)  # stable: signatures are stored
