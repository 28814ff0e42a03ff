"""Tolerant name matching for the officer's lookup: spelling, accents, order and aliases."""

from offramp.people.names import MATCH_THRESHOLD, name_score, normalise, similarity, soundex


def test_it_normalises_case_accents_and_punctuation():
    assert normalise("  O'Brien-Núñez ") == "obriennunez"


def test_it_codes_soundex_like_the_standard():
    assert [soundex(n) for n in ("Robert", "Rupert", "Ashcraft", "Tymczak", "Pfister", "Lee")] == [
        "R163",
        "R163",
        "A261",
        "T522",
        "P236",
        "L000",
    ]


def test_it_scores_spelling_variants_above_the_threshold():
    assert similarity("Lopez", "Lopes") >= MATCH_THRESHOLD
    assert similarity("Smith", "Smyth") == 0.9
    assert name_score("Anna", "Lopes", [("Ana", "Lopez")]) >= MATCH_THRESHOLD
    assert name_score("", "López", [("Ana", "Lopez")]) == 1.0


def test_it_matches_a_name_given_in_the_other_order_and_an_alias():
    assert name_score("Lopez", "Ana", [("Ana", "Lopez")]) == 1.0
    assert name_score("Smokey", "Lopez", [("Ana", "Lopez"), ("Smokey", "Lopez")]) == 1.0


def test_it_does_not_match_a_different_person():
    assert name_score("Ben", "Okoro", [("Ana", "Lopez")]) < MATCH_THRESHOLD
    assert name_score("Ana", "Martin", [("Ana", "Lopez")]) < MATCH_THRESHOLD
