"""Reading the files people have (encodings, separators, workbooks, title rows) and the
proposals of the mapping step, as plain functions."""
import pytest

from territorial.actors.import_cells import split_name
from territorial.actors.importing import read_upload
from territorial.actors.mapping import find_header, propose_columns, propose_kind
from territorial.common.spreadsheets import decode_text, detect_separator
from tests.import_support import ods, xls, xlsx

TEXT = "Dénomination;Commune\nŒuvre du cœur - 10 €;Créteil\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "iso-8859-15", "utf-16"])
def test_usual_encodings_are_recognised(encoding):
    assert decode_text(TEXT.encode(encoding)) == TEXT


@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_the_separator_is_found_under_a_title_line(separator):
    text = f"Annuaire des partenaires (mis à jour le 3, 4 ou 5 mars)\n\n" \
           f"Nom{separator}Ville{separator}Type\nA{separator}B{separator}C\n"
    assert detect_separator(text) == separator


@pytest.mark.parametrize("make, name", [(xlsx, "a.xlsx"), (ods, "a.ods"), (xls, "a.xls")])
def test_workbooks_give_their_header_under_the_title(make, name):
    content = make([["Annuaire des partenaires"], ["Structure", "Code postal", "Commune"],
                    ["Épicerie", 94220, "Charenton"]])
    header, rows = read_upload(name, content)
    assert header == ["Structure", "Code postal", "Commune"]
    assert rows == [{"line": 3, "cells": ["Épicerie", "94220", "Charenton"]}]


def test_the_header_is_the_row_naming_known_fields():
    rows = [["Liste 2025", ""], ["", ""], ["Organisme", "Courriel"], ["A", "a@b.fr"]]
    assert find_header(rows) == 2


@pytest.mark.parametrize("header, fields", [
    (["Nom", "Type de structure", "Code postal", "Adresse", "Contact", "Fonction"],
     ["organisation", "kind", "postal_code", "address", "contact", "function"]),
    (["Organisation", "Prénom", "Nom", "Courriel", "Téléphone"],
     ["organisation", "first_name", "last_name", "email", "phone"]),
    (["Nom de la structure", "Forme juridique", "Localité", "E-mail", "Tél."],
     ["organisation", "kind", "commune", "org_email", "org_phone"]),
    (["ORGANISME", "Ville", "Interlocuteur", "Adresse mail", "Portable", "N° SIRET"],
     ["organisation", "commune", "contact", "email", "phone", ""]),
    (["Structure", "Telephone structure", "Contact", "Téléphone", "Mobile", "Site internet"],
     ["organisation", "org_phone", "contact", "phone", "", "website"]),
])
def test_columns_are_proposed_from_french_headers(header, fields):
    assert propose_columns(header) == fields


@pytest.mark.parametrize("role", ["Rôle", "Fonction", "Poste", "Qualité", "Poste occupé",
                                  "Rôle dans la structure", "QUALITE DU CONTACT"])
def test_a_person_s_role_is_found_under_its_usual_names(role):
    assert propose_columns(["Structure", "Prénom", "Nom", role])[3] == "function"


def test_a_bare_name_is_a_person_s_in_a_list_of_people():
    assert propose_columns(["Nom", "Courriel"]) == ["organisation", "org_email"]
    assert propose_columns(["Nom", "Courriel"], people=True) == ["last_name", "email"]


@pytest.mark.parametrize("value, kind", [
    ("Association", "association"), ("ASSOCIATION LOI 1901", "association"),
    ("Collectivité", "collectivite"), ("collectivite", "collectivite"),
    ("Mairie", "collectivite"), ("SARL", "entreprise"), ("Centre social", "centre_social"),
    ("Espace de vie sociale", "centre_social"), ("Fondation", "fondation"),
    ("Club sportif", ""), ("", ""),
])
def test_kinds_are_proposed_or_left_to_the_user(value, kind):
    assert propose_kind(value) == kind


@pytest.mark.parametrize("text, first, last", [
    ("Nadia Haddad", "Nadia", "Haddad"), ("Mme Nadia HADDAD", "Nadia", "HADDAD"),
    ("HADDAD Nadia", "Nadia", "HADDAD"), ("Jean-Pierre de la Fontaine", "Jean-Pierre de la",
                                          "Fontaine"),
    ("Haddad", "", "Haddad"), ("M. Roux", "", "Roux"),
])
def test_a_contact_is_split_into_first_and_last_name(text, first, last):
    assert split_name(text) == {"first_name": first, "last_name": last}
