import json

import pytest

from cxnlp import Taxonomy, TaxonomyError, default_taxonomy


def test_default_taxonomy_matches_label_guide():
    tax = default_taxonomy()
    assert tax.group_names == ["sentiment", "themes", "drivers"]
    assert tax["sentiment"].kind == "single" and tax["themes"].is_multi and tax["drivers"].is_multi
    assert tax["themes"].label_names == ("efficiency", "ease", "emotion")
    assert tax["drivers"].label_names == ("staff_attitude", "unfriendly_service", "lack_of_trust", "lack_of_competence")
    assert tax["drivers"].labels[1].names["fi"] == "epäystävällinen palvelu"
    assert all(lab.description for g in tax for lab in g.labels)


def test_round_trip_through_json(tmp_path):
    tax = default_taxonomy()
    path = tmp_path / "t.json"
    path.write_text(json.dumps(tax.to_dict()), encoding="utf-8")
    assert Taxonomy.from_json(str(path)) == tax


@pytest.mark.parametrize("groups, message", [
    ([{"name": "a", "kind": "single", "labels": ["x", "y"]}, {"name": "b", "kind": "multi", "labels": ["x"]}], "unique"),
    ([{"name": "a", "kind": "several", "labels": ["x", "y"]}], "kind"),
    ([{"name": "text", "kind": "multi", "labels": ["x"]}], "reserved"),
    ([{"name": "a", "kind": "single", "labels": ["only"]}], "too few"),
    ([{"name": "a", "kind": "multi", "labels": ["bad label"]}], "invalid"),
    ([{"name": "a"}], "malformed"),
])
def test_invalid_taxonomies_are_rejected(groups, message):
    with pytest.raises(TaxonomyError, match=message):
        Taxonomy.from_dict({"groups": groups})


def test_unknown_label_error_lists_valid_ones():
    with pytest.raises(TaxonomyError, match="expected one of"):
        default_taxonomy()["themes"].index("speed")
