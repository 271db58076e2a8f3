"""Layout decisions of the parser on small letters written for these tests.

Each test pins one rule of docparse/layout.py that the corpus measurements rely on,
with the nearest contrasting case where the rule must stay silent.
"""

from __future__ import annotations

import docparse
from docparse.nodes import Closing, Letter, Paragraph, Signature

BODY = (
    "We write about the clocks of the museum and the work that remains to be done\n"
    "on the cases, the dials and the chimes before the rooms open in the spring.\n"
)
HEAD = "March 3, 1899\n\nDear Mr. Vance,\n\n" + BODY + "\n" + BODY + "\n"


def _letter(text: str) -> Letter:
    letters = docparse.parse(text).letters
    assert len(letters) == 1
    return letters[0]


def _closing(letter: Letter) -> str | None:
    return next((c.value for c in letter.children if isinstance(c, Closing)), None)


def _signers(letter: Letter) -> list[str]:
    sig = next((c for c in letter.children if isinstance(c, Signature)), None)
    return [n.value for n in sig.walk() if n.type == "name"] if sig else []


def test_long_close_of_the_writers_own_words_above_the_name() -> None:
    """A close in the writer's own words typed straight above the name is the closing,
    however long the line; the same line with a blank under it and no name stays body."""
    close = ("With every good wish for the work and the season, I remain your sincere "
             "friend and servant,")
    letter = _letter(HEAD + close + "\nAnn Benedict\n")
    assert _closing(letter) == close
    assert _signers(letter) == ["Ann Benedict"]
    letter = _letter(HEAD + close + "\n")
    assert _closing(letter) is None
    assert isinstance(letter.children[-1], Paragraph) and letter.children[-1].value == close


def test_close_ending_in_i_remain_with_the_address_under_the_name() -> None:
    """"... I remain your sincere friend" / name / address lines: closing, signatory and
    the writer's address, even when the close runs to the full width of the text."""
    close = "With a great deal of sympathy and affection I remain your sincere friend"
    text = HEAD + close + "\nA.C. Benedict\n1633 Q Street N.W.\nWashington D.C.\n"
    letter = _letter(text)
    assert _closing(letter) == close
    assert _signers(letter) == ["A.C. Benedict"]
    lines = [n.value for n in letter.walk() if n.type == "address_line"]
    assert lines == ["1633 Q Street N.W.", "Washington D.C."]


def test_blank_line_inside_a_sentence_is_noise_but_not_before_an_unwrapped_line() -> None:
    """A blank line between a full line and a lower-case line is OCR noise inside one
    paragraph; a line far wider than the text was never wrapped with it and stands apart."""
    wrapped = (
        "We write about the clocks of the museum and the work that remains to be done on\n"
        "\n"
        "the cases, the dials and the chimes before the rooms open in the spring again.\n"
    )
    letter = _letter(HEAD + wrapped + "\nYours truly,\nAnn Benedict\n")
    paras = [c.value for c in letter.children if isinstance(c, Paragraph)]
    assert paras[-1].startswith("We write") and paras[-1].endswith("spring again.")
    long_close = ("aff: regards to all the household and the neighbours, and tell them the "
                  "clocks are going again as they should (the best news I can send)")
    broken = wrapped.rsplit("\n", 2)[0].replace("\n\nthe cases", "\nthe cases") + "\n\n" + long_close
    letter = _letter(HEAD + broken + "\nAnn Benedict\n")
    assert _closing(letter) == long_close
    assert _signers(letter) == ["Ann Benedict"]


def test_postscript_across_a_page_keeps_its_page_nodes() -> None:
    """A postscript running across a page break: the page break and the running header
    are nodes of their own after the postscript, with the header's page number."""
    text = (HEAD + "Yours truly,\nAnn Benedict\n\n"
            "P.S. The keys of the cases are with the porter, who will hand them to you and\n"
            "\f- 2 -\n\nto your assistant when you call at the museum on Monday.\n")
    letter = _letter(text)
    types = [c.type for c in letter.children]
    assert types[-3:] == ["postscript", "page_break", "page_header"]
    header = letter.children[-1]
    assert header.page == 2 and header.value == "- 2 -"
    assert letter.children[-3].value.endswith("on Monday.")


def test_indented_closer_block_keeps_its_address_and_date_lines() -> None:
    """In a letter of indented paragraphs, the lines of an indented closer block that end
    in a full stop (name, street, town, date) are not first lines of new paragraphs: they
    stay the signature's address, and the date under it is no date line of the letter."""
    para = ("   We write about the clocks of the museum and the work that remains to be done\n"
            "on the cases, the dials and the chimes before the rooms open in the spring.\n")
    text = ("   Dear Mr. Vance,\n\n" + para + para + "\n"
            "   With kind regards to you all I remain your sincere friend\n"
            "   A.C. Benedict.\n   1633 Q Street N.W.\n   Washington D.C.\n   Jany. 4 | 1892.\n")
    letter = _letter(text)
    assert _closing(letter) == "With kind regards to you all I remain your sincere friend"
    assert _signers(letter) == ["A.C. Benedict."]
    lines = [n.value for n in letter.walk() if n.type == "address_line"]
    assert lines == ["1633 Q Street N.W.", "Washington D.C.", "Jany. 4 | 1892."]
    assert not [n for n in letter.walk() if n.type == "date"]


def test_one_complimentary_close_a_closing_like_block_above_is_body() -> None:
    """Two closing-like blocks a blank line apart above the name: the one on the name is
    the closing, the one above it the last paragraph. Lines of one close broken only by
    their (centred) indentation, or by the blank lines of double spacing, stay one close."""
    text = HEAD + "With kind regards of my family to you all\n\nI am truly\nYours &c\nWill Wallace\n"
    letter = _letter(text)
    assert _closing(letter) == "I am truly Yours &c"
    assert [c.value for c in letter.children if isinstance(c, Paragraph)][-1] == (
        "With kind regards of my family to you all")
    centred = (HEAD + "                 With every sentiment of respect,\n"
               "                          I have the honour to be,\n"
               "               Sir, your obedient servant\n"
               "                                  L. N.\n")
    assert _closing(_letter(centred)) == (
        "With every sentiment of respect, I have the honour to be, Sir, your obedient servant")


def test_short_double_spaced_letter_keeps_its_dateline_whole() -> None:
    """A short double-spaced letter (four body lines, every blank line inside a sentence):
    the place line one blank above the date is part of the date line, and the body is one
    paragraph. A short letter of one-line paragraphs is not double-spaced."""
    text = ("Camden\n\nAug: 6 '90\n\n"
            "Still the same hot weather here, but every thing goes on much the\n\n"
            "same as before, and I get out a little in the chair most evenings\n\n"
            "by the river, where the breeze comes up at sundown and the boats\n\n"
            "go by in the dark with their lights. Love to you all\n\n\nWalt Whitman\n")
    letter = _letter(text)
    dates = [c.value for c in letter.children if c.type == "date"]
    assert dates == ["Camden Aug: 6 '90"]
    assert not [n for n in letter.walk() if n.type == "address_line"]
    assert len([c for c in letter.children if isinstance(c, Paragraph)]) == 1
    single = ("Camden\n\nAug: 6 '90\n\nDear Friend,\n\nThe book came today.\n\nIt is a fine one.\n\n"
              "I will write again soon.\n\nAll goes well here.\n\n\nWalt Whitman\n")
    assert len([c for c in _letter(single).children if isinstance(c, Paragraph)]) == 4


def test_bundle_signature_name_stays_with_its_letter() -> None:
    """A file of two letters: the first is signed at the right with no closing; the
    second opens with a right-aligned place and date. The lone name under the first
    letter's last paragraph is its signature, not the start of the second letter."""
    first = ("                                        Washington June 10, 1865.\n\n"
             "Mr. & Mrs. Pratt:\n\n" + BODY + "\n" + BODY + "every day. For the present farewell.\n\n"
             "                                        Walt Whitman\n\n")
    second = ("                                          Elliottstown, Illinois,\n"
              "                                          September 11, 1877\n\n"
              "Dear Walt\n\n" + BODY + "\n" + BODY + "\nyours truly,\nJoseph Baldwin\n")
    letters = docparse.parse(first + second).letters
    assert len(letters) == 2
    assert _signers(letters[0]) == ["Walt Whitman"]
    assert [c.value for c in letters[1].children if c.type == "date"] == [
        "Elliottstown, Illinois, September 11, 1877"]


def test_bundle_of_letters_dated_at_the_end() -> None:
    """A writer who dates at the end: the date between two letters, glued above the next
    one's salutation, ends the letter before when the next letter ends with its own date
    and the letter before has none at its top. A letter dated at its top keeps the
    opener's date for the next letter."""
    def letter(n: int, date: str | None) -> str:
        tail = f"\n\n                                             {date}\n" if date else "\n"
        return (f"Dear Sir,\n\n" + BODY + "\n" + BODY +
                f"\n                                             Your servant\n"
                f"                                             L. N. {n}" + tail)
    text = (letter(1, None) + "\n\n                                             15 September\n"
            "                                             1852.\n" + letter(2, "17 September 1853.")[:-1] + "\n")
    letters = docparse.parse(text).letters
    assert len(letters) == 2
    ends = [[c.value for c in L.children if c.type == "date"] for L in letters]
    assert ends == [["15 September 1852."], ["17 September 1853."]]
    assert [c.type for c in letters[0].children][-1] == "date"
    headed = ("                                             3 July 1852.\n\n" + letter(1, None)
              + "\n\n                                             15 September\n"
              "                                             1852.\n" + letter(2, "17 September 1853."))
    ends = [[c.value for c in L.children if c.type == "date"] for L in docparse.parse(headed).letters]
    assert ends == [["3 July 1852."], ["15 September 1852.", "17 September 1853."]]


def test_closing_words_under_a_closing_are_no_signature() -> None:
    """An unsigned letter: a close of two lines whose last line is closing words too
    ("With love I remain" / "your sincere Friend.") is all closing, no signature; a
    single line of the writer's own words at the right ("Best luck to you") is a close,
    not a name. A bare name the eye cannot tell ("Han") under a close is still signed."""
    close = "                                        With love I remain\n                                        your sincere Friend.\n"
    letter = _letter(HEAD + close)
    assert _closing(letter) == "With love I remain your sincere Friend."
    assert not [c for c in letter.children if isinstance(c, Signature)]
    letter = _letter(HEAD + "\n                                           Best luck to you\n")
    assert _closing(letter) == "Best luck to you"
    assert not [c for c in letter.children if isinstance(c, Signature)]
    letter = _letter(HEAD + "Yours ever,\nhan\n")
    assert _closing(letter) == "Yours ever,"
    assert [n.value for n in letter.walk() if n.type == "name"] == ["han"]


def test_vocative_without_punctuation_is_the_salutation_of_an_undated_letter() -> None:
    """No date: a short line standing alone above the body that addresses someone
    ("Friend Whitman") is the salutation, not a date line."""
    letter = _letter("Friend Whitman\n\n" + BODY + "\n" + BODY + "\nYours truly,\nAnn Benedict\n")
    assert [c.type for c in letter.children][:2] == ["salutation", "paragraph"]
    assert not [c for c in letter.children if c.type == "date"]


def test_name_and_address_block_without_a_close_is_the_signature() -> None:
    """No complimentary close: the last block, a typed name with short address lines
    under it ("To" / the addressee / the town), is the signature and an address, not a
    paragraph; a short last paragraph of sentences stays a paragraph."""
    letter = _letter(HEAD + "Philip Hale\nTo\nWalt Whitman\nCamden\nN. J.\n")
    assert _signers(letter) == ["Philip Hale"]
    assert [n.value for n in letter.walk() if n.type == "address_line"] == ["To", "Walt Whitman", "Camden", "N. J."]
    letter = _letter(HEAD + "Thank you again.\nWe meet at 10 on Monday.\n")
    assert [c.type for c in letter.children][-1] == "paragraph"


def test_full_name_above_a_postscript_signed_with_initials_is_the_signature() -> None:
    """The letter signed with a full name standing alone, a postscript after it, signed
    with the writer's initials: the full name is the signature and the postscript stays a
    postscript (with or without a close above the name, a few blank lines apart)."""
    tail = ("I shall remain here about three weeks to the end of the term and shall then\n"
            "visit the places of the coast until the winter school opens again.\n\nB.S.\n")
    letter = _letter(HEAD + "Byron Sutherland\n\n" + tail)
    assert _signers(letter) == ["Byron Sutherland"]
    assert _closing(letter) is None
    assert [c.type for c in letter.children][-2:] == ["postscript", "postscript"]
    letter = _letter(HEAD + "I am most respectfully\n\n\n\nByron Sutherland\n\n" + tail)
    assert _closing(letter) == "I am most respectfully"
    assert _signers(letter) == ["Byron Sutherland"]


def test_document_opening_with_a_continuation_page() -> None:
    """A file that starts on page 2 (the first page is missing): an explicit page line at
    the top is that page's running header, not a date line; a bare number there is not
    taken for one."""
    text = "Page 2\n\n" + BODY + "\n" + BODY + "\nYours truly,\nAnn Benedict\n"
    letter = _letter(text)
    assert [(c.type, getattr(c, "page", None)) for c in letter.children][:2] == [
        ("page_header", 2), ("paragraph", None)]
    assert not [c for c in letter.children if c.type == "date"]
    bare = _letter("2\n\n" + BODY + "\n" + BODY + "\nYours truly,\nAnn Benedict\n")
    assert not [c for c in bare.walk() if c.type == "page_header"]


def test_farewell_sentence_set_apart_from_the_name_is_the_last_paragraph() -> None:
    """A farewell in a sentence of the writer's own ("Love to your mother and the boys.")
    standing as a paragraph of its own, a blank line above the name, is the last
    paragraph; typed straight above the name it is the closing; and a formula close
    ("Sincerely yours,") keeps its blank lines for the handwritten signature."""
    farewell = "Love to your mother and the boys."
    letter = _letter(HEAD + farewell + "\n\nThomas Vance\n")
    assert _closing(letter) is None
    assert _signers(letter) == ["Thomas Vance"]
    assert [c.value for c in letter.children if isinstance(c, Paragraph)][-1] == farewell
    for dash in ("God bless you all\u2014",):
        letter = _letter(HEAD + dash + "\n\nThomas Vance\n")
        assert _closing(letter) is None and _signers(letter) == ["Thomas Vance"]
    letter = _letter(HEAD + farewell + "\nThomas Vance\n")
    assert _closing(letter) == farewell
    assert _signers(letter) == ["Thomas Vance"]
    letter = _letter(HEAD + "Sincerely yours,\n\n\n\nThomas Vance\n")
    assert _closing(letter) == "Sincerely yours,"
    assert _signers(letter) == ["Thomas Vance"]
    # a postscript under the name does not pull the farewell back into the closer
    letter = _letter(HEAD + farewell + "\n\nThomas Vance\n\nReturn the proofs if you cannot use them.\n")
    assert _closing(letter) is None
    assert _signers(letter) == ["Thomas Vance"]


def test_one_indented_line_does_not_make_a_letter_double_spaced() -> None:
    """Every line one blank line apart and one first-line indent: double spacing only if a
    sentence runs on across a blank line; sentences ending at each blank are paragraphs
    ("We we we." / "P.S. ..." / "P.S. ..." stay a paragraph and two postscripts)."""
    text = "Dear Mr. Smith:\n\n     We we we.\n\nP.S. We we we.\n\nP.S. We we we.\n\ncc: John Smith\n"
    kinds = [node.type for node in _letter(text).children]
    assert kinds == ["salutation", "paragraph", "postscript", "postscript", "copy"]
    # the same lines with a sentence running on across a blank line: double spaced
    text = ("Dear Mr. Smith:\n\n     We write about the clocks of the museum and the work that\n\n"
            "remains on the cases before the spring.\n\n     We send the plans today.\n\nYours,\nAnn\n")
    paragraphs = [node.value for node in _letter(text).children if isinstance(node, Paragraph)]
    assert paragraphs[0] == ("We write about the clocks of the museum and the work that remains on the "
                             "cases before the spring.")


def test_a_close_ending_in_a_comma_does_not_make_indented_paragraphs_double_spaced() -> None:
    """Indented one-line paragraphs one blank line apart, then "Yours truly," and a copy
    line: the comma of the close is no sentence running on; the paragraphs stay two."""
    text = ("Dear Mr. Smith:\n\n     We we we we we we we we we.\n\n     We we we.\n\n"
            "Yours truly,\n\ncc: John Smith\n")
    paragraphs = [node.value for node in _letter(text).children if isinstance(node, Paragraph)]
    assert paragraphs == ["We we we we we we we we we.", "We we we."]


def test_a_quoted_reply_under_an_e_mail_letter_is_a_quote_not_a_postscript() -> None:
    """Another message quoted under the letter ("On ..., Sam wrote:" and its "> " lines) is
    a quote node; the letter's close and signature stand above it."""
    text = ("Hi Sam,\n\nThanks for the draft. The delivery date should read July 14, and the\n"
            "invoices go to accounts rather than to me.\n\nBest,\nAnna\n\n"
            "On Tue, 3 Jun 2025 at 10:02, Sam Porter <sam@example.com> wrote:\n"
            "> Hi Anna,\n>\n> Please find the draft attached.\n>\n> Sam\n")
    letter = _letter(text)
    kinds = [node.type for node in letter.children]
    assert kinds[-1] == "quote" and "postscript" not in kinds
    assert _closing(letter) == "Best,"
    assert _signers(letter) == ["Anna"]
    quote = letter.children[-1]
    assert quote.value.startswith("On Tue, 3 Jun 2025") and quote.value.endswith("> Sam")
    assert docparse.loads(docparse.dumps(docparse.parse(text))) == docparse.parse(text)


def test_an_e_mail_signature_block_is_its_own_node_not_a_postscript() -> None:
    """The "-- " delimiter and the lines under it (name, position, telephone) are the
    e-mail's signature block; the signatory is the name under the close, and a quoted
    message under the block stays a quote."""
    text = ("Hi Sam,\n\nThanks for the draft. The delivery date should read July 14, and the\n"
            "invoices go to accounts rather than to me.\n\nBest,\nAnna\n\n-- \nAnna Keller\n"
            "Project Manager | Northwind Logistics\n+1 (312) 555-0199\n\n"
            "On Tue, 3 Jun 2025 at 10:02, Sam Porter <sam@example.com> wrote:\n> Hi Anna,\n")
    letter = _letter(text)
    kinds = [node.type for node in letter.children]
    assert kinds[-2:] == ["email_signature", "quote"] and "postscript" not in kinds
    assert _closing(letter) == "Best,"
    assert _signers(letter) == ["Anna"]
    block = letter.children[-2]
    assert block.value == "-- Anna Keller Project Manager | Northwind Logistics +1 (312) 555-0199"
    doc = docparse.parse(text)
    assert docparse.loads(docparse.dumps(doc)) == doc
    # without the delimiter, the lines under the name are no e-mail signature
    plain = _letter(text.replace("-- \n", ""))
    assert "email_signature" not in [node.type for node in plain.children]


def test_a_lower_case_sentence_end_is_no_salutation_opening_a_letter() -> None:
    """A double-spaced paragraph's last line "dear aunt is out with the dogs." reads like
    a salutation to the lexicon, but a salutation does not start lower case and end a
    sentence: the letter goes on."""
    body = ("Mother sends her kind regards.\n\n"
            "We came home on Tuesday to find the house cold and the pump frozen, and the\n\n"
            "kitchen full of snow that had blown under the door. Uncle is mending it, and\n\n"
            "cousin Ned is splitting wood & my\n\n"
            "dear aunt is out with the dogs.\n\n"
            "     From my window I can see the mill pond, and the road to the village beyond\n\n"
            "it, white and empty as far as the church.\n\n")
    text = "March 2nd 1879\n\nMy Dear Old Friend,\n\n" + body + "Yours affectionately\n\nT. Harland.\n"
    doc = docparse.parse(text)
    assert len(doc.children) == 1
    assert _closing(doc.children[0]) == "Yours affectionately"


def test_a_close_a_sentence_runs_into_starts_a_line_in_double_spaced_text() -> None:
    """Double-spaced: "... and oblige" / "Your friend," / name. The close starts a line of its
    own where the text had room for it, so it is the close, not the paragraph's last line."""
    text = ("Dear Sir,\n\nI pass through Albany on the 9th, by the evening train only, and should be\n\n"
            "very glad to see you for an hour at the station if your work allows it. If\n\n"
            "not, kindly send a line to the hotel, and oblige\n\n"
            "Your friend,\n\n\n\nSamuel Pike\n")
    letter = _letter(text)
    assert _closing(letter) == "Your friend,"
    assert _signers(letter) == ["Samuel Pike"]


def test_a_french_formula_after_a_leading_clause_is_the_close() -> None:
    """ "Dans l'attente de votre réponse, je vous prie d'agréer, Madame, l'expression de mes
    salutations distinguées." over two lines above an indented signature is the close."""
    text = ("Lyon, le 2 mai 2025\n\nMadame,\n\n"
            "Je vous adresse ma candidature au poste de technicien de maintenance, publié\n"
            "sur votre site le 28 avril, et je reste à votre disposition pour un entretien.\n\n"
            "Dans l'attente de votre réponse, je vous prie d'agréer, Madame,\n"
            "l'expression de mes salutations distinguées.\n\n"
            "                                             Julien Moreau\n")
    letter = _letter(text)
    assert _closing(letter).startswith("Dans l'attente de votre réponse")
    assert _signers(letter) == ["Julien Moreau"]


def test_a_firm_and_an_on_behalf_signature_under_the_close_are_the_closer() -> None:
    """DIN 5008: "Mit freundlichen Grüßen" / the firm / room to sign / "i. A. Martin
    Schulte" / "Leiter Verwaltung": the firm belongs to the close, the name signs; nothing
    of it is a postscript."""
    text = ("Leipzig, 12. März 2025\n\nSehr geehrte Frau Berger,\n\n"
            "die korrigierte Abrechnung liegt diesem Schreiben bei. Statt einer Nachzahlung\n"
            "ergibt sich für Sie nun ein Guthaben, das wir mit der Miete verrechnen.\n\n"
            "Mit freundlichen Grüßen\n\nWohnungsbaugenossenschaft Lindenau eG\n\n\n\n"
            "i. A. Martin Schulte\nLeiter Verwaltung\n")
    letter = _letter(text)
    kinds = [node.type for node in letter.children]
    assert "postscript" not in kinds
    assert _closing(letter) == "Mit freundlichen Grüßen Wohnungsbaugenossenschaft Lindenau eG"
    assert _signers(letter) == ["i. A. Martin Schulte"]


def test_a_letterhead_address_whose_numbers_read_as_a_year_is_not_the_dateline() -> None:
    """ "P.O. Box 1742, Millbrook, NY 12545" holds a year-like number, but a line with a
    postcode is an address: the date is the block below it."""
    text = ("Friends of the Millbrook Public Library\nP.O. Box 1742, Millbrook, NY 12545\n\n"
            "November 20, 2025\n\nDr. Samuel Adeyemi\n44 Church Street\nMillbrook, NY 12545\n\n"
            "Dear Dr. Adeyemi,\n\nThank you for your generous gift to this year's Reading Garden\n"
            "appeal; the garden will be planted next spring.\n\nSincerely,\n\nMargaret Olsen\n")
    letter = _letter(text)
    date = next(c for c in letter.children if c.type == "date")
    assert date.value == "November 20, 2025"
    assert date.iso == "2025-11-20"


def test_an_enclosure_line_naming_a_year_opens_no_letter() -> None:
    """ "Enclosure: Fall 2025 Trade Catalog" under the signature holds a year but is a note,
    not the dateline of a next letter; the P.S. under it is the letter's postscript."""
    text = ("Dear Ms. Ortega,\n\nThank you for your orders over the past year. You are invited to\n"
            "our fall preview on Thursday, October 2, from 4 to 7 p.m.\n\n"
            "Sincerely,\n\n\nWalter Finch\nOwner\n\nEnclosure: Fall 2025 Trade Catalog\n\n"
            "P.S. Bring this letter to the preview and we will add a flat of spring\n"
            "pansies to your first order, with our compliments.\n")
    doc = docparse.parse(text)
    assert len(doc.children) == 1
    letter = doc.children[0]
    kinds = [node.type for node in letter.children]
    assert kinds[-2:] == ["enclosure", "postscript"]
    assert _signers(letter) == ["Walter Finch"]


def test_a_din_letter_with_a_wide_letterhead_and_a_firm_of_two_lines_is_one_letter() -> None:
    """A letterhead whose contact line runs wider than the body, a return-address line and
    the recipient block stand above the date: no body of a letter of their own. The firm
    signing over two lines under the close belongs to the close; "p.p. Thomas Reindl" signs."""
    text = ("Wolters & Partner Steuerberatungsgesellschaft mbH\n"
            "Schillerplatz 3 · 93047 Regensburg · Telefon 0941 555 6620 · kanzlei@wolters-partner.de\n\n"
            "Wolters & Partner Steuerberatungsgesellschaft mbH · Schillerplatz 3 · 93047 Regensburg\n\n"
            "Herrn\nStefan Aigner\nAm Mühlbach 9\n93128 Regenstauf\n\n"
            "                                                  Regensburg, 8. Juli 2025\n\n"
            "Sehr geehrter Herr Aigner,\n\n"
            "Ihre Einkommensteuererklärung für das Jahr 2024 haben wir fertiggestellt. Bevor\n"
            "wir sie übermitteln, bitten wir Sie, die beigefügte Zusammenfassung zu prüfen.\n\n"
            "Mit freundlichen Grüßen\n\nWolters & Partner\nSteuerberatungsgesellschaft mbH\n\n\n\n"
            "p.p. Thomas Reindl\nSteuerberater\n")
    doc = docparse.parse(text)
    assert len(doc.children) == 1
    letter = doc.children[0]
    assert next(c.value for c in letter.children if c.type == "salutation") == "Sehr geehrter Herr Aigner,"
    assert _closing(letter) == "Mit freundlichen Grüßen Wolters & Partner Steuerberatungsgesellschaft mbH"
    assert _signers(letter) == ["p.p. Thomas Reindl"]


def test_a_date_written_late_above_the_signature_or_above_a_postscript_is_the_date() -> None:
    """A letter dated late: "Gießen, 3. März 2025" between the body and the signature, or
    "Lyon, le 2 mai 2025" under the signature above the P.-S., is the letter's date, not a
    signatory or a postscript."""
    above = ("Sehr geehrte Damen und Herren,\n\nHerr Brandt hat in meiner Arbeitsgruppe zwei Jahre\n"
             "lang mitgearbeitet. Ich empfehle ihn ohne jeden Vorbehalt.\n\n"
             "Gießen, 3. März 2025\n\nProf. Dr. Ulrike Hagemann\nLeiterin der Arbeitsgruppe Wassertechnik\n")
    letter = _letter(above)
    dates = [c for c in letter.children if c.type == "date"]
    assert [d.value for d in dates] == ["Gießen, 3. März 2025"] and dates[0].iso == "2025-03-03"
    assert _signers(letter) == ["Prof. Dr. Ulrike Hagemann"]
    under = ("Chers amis,\n\nMerci encore pour ce beau dimanche au bord du lac; nous en parlons\n"
             "toujours avec les enfants.\n\nBien amicalement,\n\nMarc\n\nLyon, le 2 mai 2025\n\n"
             "P.-S. : Sophie vous embrasse et vous rappelle que vous lui avez promis\nla recette du gratin.\n")
    letter = _letter(under)
    kinds = [c.type for c in letter.children]
    assert kinds[-2:] == ["date", "postscript"]
    assert letter.children[-1].value.startswith("P.-S.")
    doc = docparse.parse(under)
    assert docparse.loads(docparse.dumps(doc)) == doc


def test_signatures_typed_side_by_side_are_two_signatories() -> None:
    """Two signers side by side: each column of the signature block is a signatory, its
    first line the name, the lines under it the titles; each leaf is its own column's text."""
    text = ("Dear Members,\n\nThank you for another year with the credit union; we would be delighted\n"
            "if you could join us as our guests at the annual members' dinner on May 17.\n\n"
            "Sincerely,\n\n\n\n"
            "Linda Kowalczyk                         Raymond O. Fish\n"
            "President and CEO                       Chair, Board of Directors\n")
    doc = docparse.parse(text)
    letter = doc.children[0]
    sig = next(c for c in letter.children if c.type == "signature")
    people = [[(n.type, n.value) for n in s.children] for s in sig.children if s.type == "signatory"]
    assert people == [[("name", "Linda Kowalczyk"), ("title", "President and CEO")],
                      [("name", "Raymond O. Fish"), ("title", "Chair, Board of Directors")]]
    for leaf in sig.walk():
        if leaf.type in ("name", "title"):
            assert text[leaf.position.start.offset:leaf.position.end.offset] == leaf.value
    assert docparse.loads(docparse.dumps(doc)) == doc
    assert docparse.to_tei(doc)
    # one column only, or columns that do not line up: no split
    ragged = text.replace("President and CEO                       Chair",
                          "President and CEO      Chair")
    sig = next(c for c in _letter(ragged).children if c.type == "signature")
    assert len([s for s in sig.children if s.type == "signatory"]) == 1


def test_a_postal_address_block_under_the_signature_is_the_writers_address() -> None:
    """A letter to the editor: "Gwen Hartley" then, a blank line below, "12 Mill Lane" /
    "Little Badsey" / "Worcestershire WR11 7HE": the writer's address, not a postscript."""
    text = ("Sir,\n\nThe closure of the branch library in Little Badsey leaves three hundred\n"
            "people a week without a service that is thought, it seems, to be a luxury.\n\n"
            "Yours faithfully,\n\nGwen Hartley\n\n12 Mill Lane\nLittle Badsey\nWorcestershire WR11 7HE\n")
    letter = _letter(text)
    assert "postscript" not in [c.type for c in letter.children]
    sig = next(c for c in letter.children if c.type == "signature")
    assert [n.value for n in sig.walk() if n.type == "address_line"] == [
        "12 Mill Lane", "Little Badsey", "Worcestershire WR11 7HE"]


def test_a_copy_item_under_a_hanging_indent_stays_with_its_copy_line() -> None:
    """ "TKH/mr" / "c: Dr. Elaine Foster, Superintendent" / "   Pine Hollow Elementary School":
    the typist's initials and a copy line whose item runs on under a hanging indent are notes
    under the letter, not a second signatory."""
    text = ("Dear Dr. Foster,\n\nThe boiler at Pine Hollow will be replaced over the spring break, and\n"
            "the school can open as usual on the Monday after.\n\nSincerely,\n\n\n"
            "Thomas K. Hwang\nDirector of Facilities\n\nTKH/mr\n"
            "c: Dr. Elaine Foster, Superintendent\n   Pine Hollow Elementary School, Principal's Office\n")
    letter = _letter(text)
    assert _signers(letter) == ["Thomas K. Hwang"]
    kinds = [c.type for c in letter.children]
    assert kinds[-3:] == ["reference", "copy", "copy"]  # (a copy node per line listed)
    assert letter.children[-1].value == "Pine Hollow Elementary School, Principal's Office"


def test_subject_lines_under_the_date_and_under_the_salutation_are_references() -> None:
    """DIN 5008: the recipient stands above the date, the subject between the date and the
    salutation; a UK letter puts it under the salutation. Either is a reference, not an
    address line or a paragraph; a short first sentence without a stop, indented as the
    paragraphs are, stays a paragraph."""
    din = ("Jan-Hendrik Petersen\nEppendorfer Weg 112\n20259 Hamburg\n\n"
           "FitPoint Sportstudios GmbH\nKundenservice\nPostfach 10 44 20\n22044 Hamburg\n\n"
           "                                                  Hamburg, 5. Mai 2025\n\n"
           "Kündigung meiner Mitgliedschaft, Mitgliedsnummer 0048-21977\n\n"
           "Sehr geehrte Damen und Herren,\n\nhiermit kündige ich meine Mitgliedschaft im Studio\n"
           "fristgerecht zum 30. Juni 2025.\n\nMit freundlichen Grüßen\n\nJan-Hendrik Petersen\n")
    letter = _letter(din)
    refs = [c.value for c in letter.children if c.type == "reference"]
    assert refs == ["Kündigung meiner Mitgliedschaft, Mitgliedsnummer 0048-21977"]
    uk = ("Dear Sir or Madam,\n\nProperty: 27 Clifton Vale Terrace, Bristol BS8 4PX\n\n"
          "We act for the owners of the above property and enclose our schedule of\n"
          "repairs following the storm damage of 11 February 2025.\n\nYours faithfully,\n\nKaren Tull\n")
    letter = _letter(uk)
    assert [c.type for c in letter.children][:3] == ["salutation", "reference", "paragraph"]
    indented = ("Dear Tom,\n\n\tI send the map you asked for\n\n"
                "\tI have started to copy out (fair) some 40 pp of the survey notes (my\nown).\n\n"
                "\tGlad to hear the boat is mended. Am still at the proofs.\n\n\n"
                "                                             R. J. Marsh\n")
    letter = _letter(indented)
    assert "reference" not in [c.type for c in letter.children]
    doc = docparse.parse(uk)
    assert docparse.loads(docparse.dumps(doc)) == doc


def test_a_line_of_running_text_that_opens_with_yours_is_no_close() -> None:
    """ "Yours rec'd—Many thanks—glad to send you two volumes of the" fills the
    width and runs on into the next line: the body, not a complimentary close; the name
    under the body signs, and the lines under the name are a postscript."""
    text = ("                  12 Orchard Street Salem Massachusetts / US America\n\n"
            "     Yours rec'd—Many thanks—glad to send you two volumes of the\n\n"
            "Atlas—the best way is by post—the price is £1 sent me by m. o.\n\n"
            "order—it is quite safe and quick for you—\n\n"
            "                                           Henry Lowe\n\n\n"
            "     Thanks for your note about \"the Harbour Charts\"—I have not\n\nseen them—\n")
    letter = _letter(text)
    assert _closing(letter) is None
    assert _signers(letter) == ["Henry Lowe"]
    assert [c.type for c in letter.children][-1] == "postscript"


def test_a_place_and_date_block_glued_under_a_right_set_signature_opens_the_next_letter() -> None:
    """A file of letters copied one under another: a signature set at the right, then
    straight under it the next letter's place lines and date, then its body (no salutation):
    two letters, the second dated."""
    text = ("Dear Sir,\n\nThe parcel came safely on Monday, and the books are already on the\n"
            "shelves of the reading room, where they are much used.\n\n"
            "     Would you let me send you a copy of the new catalogue as a small\n"
            "return for your kindness?\n\n"
            "                                      Mary Thorne\n"
            "                                    14 Harbour Road\n"
            "                                    Whitby, England\n"
            "                                    June 6th 1891\n\n"
            "Only a line to say that the second parcel has come too, and that the\n"
            "committee sends you its thanks for both.\n\n"
            "                                      Mary Thorne\n")
    doc = docparse.parse(text)
    assert len(doc.children) == 2
    second = doc.children[1]
    date = next(c for c in second.children if c.type == "date")
    assert date.value.endswith("June 6th 1891") and date.iso == "1891-06-06"
    assert _signers(doc.children[0]) == ["Mary Thorne"]


def test_a_second_name_of_the_family_under_the_signer_is_a_second_signatory() -> None:
    """ "Reginald A. Beckett" / "Katie E. Beckett": two signers; the signer's name again in
    capitals ("Joaquin Miller" / "JOAQUIN MILLER.") is no second signer."""
    body = ("Dear Sir,\n\nWe thank you for the books, which came safely on Saturday and are\n"
            "already read aloud in the evenings.\n\nYours faithfully,\n")
    two = _letter(body + "Reginald A. Beckett\nKatie E. Beckett\n")
    assert _signers(two) == ["Reginald A. Beckett", "Katie E. Beckett"]
    again = _letter(body + "Tom Harlan Price\nTOM HARLAN PRICE.\n")
    assert _signers(again) == ["Tom Harlan Price"]


def test_a_title_ending_in_a_comma_above_room_to_sign_and_the_name_is_one_signer() -> None:
    """French: "La présidente," / (room to sign) / "Nadia Cazeneuve" is one signatory, its
    title first; a title without the comma ("Chairman") above another signer's block stays
    a signatory of its own."""
    text = ("Madame,\n\nNous sollicitons une subvention de la Ville pour mener à bien ces travaux\n"
            "avant l'été, et nous serions heureux de vous présenter le projet.\n\n"
            "Nous vous prions d'agréer, Madame, l'expression de notre haute considération.\n\n"
            "                                             La présidente,\n\n\n\n"
            "                                             Nadia Cazeneuve\n")
    letter = _letter(text)
    sig = next(c for c in letter.children if c.type == "signature")
    people = [[(n.type, n.value) for n in s.children] for s in sig.children if s.type == "signatory"]
    assert people == [[("title", "La présidente,"), ("name", "Nadia Cazeneuve")]]


def test_a_horizontal_continuation_heading_is_a_running_header() -> None:
    """A US continuation page opens with the addressee, the page number and the date on one
    line ("Mr. Alan Whitaker      2      April 14, 2025"): a running header of page 2, not
    a paragraph; the paragraph runs on across it."""
    first = ("April 14, 2025\n\nMr. Alan Whitaker\n12 Lake Road\nMadison, WI 53703\n\n"
             "Dear Mr. Whitaker:\n\n" + BODY + BODY + "and the work on the bridge will begin\n")
    second = ("\fMr. Alan Whitaker                       2                       April 14, 2025\n\n"
              "in May, as the county agreed.\n\nSincerely,\n\nJoan Reyes\n")
    letter = _letter(first + second)
    headers = [c for c in letter.children if c.type == "page_header"]
    assert [(h.value, h.page) for h in headers] == [
        ("Mr. Alan Whitaker 2 April 14, 2025", 2)]
    assert all("Whitaker 2" not in c.value for c in letter.children if c.type == "paragraph")
