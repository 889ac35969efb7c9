"""JSON Schema (draft 2020-12) of ``Section.to_dict()``: the contract of the report's JSON for other tools.

Every count and base is required (null where there is none), and a suppressed figure must carry no number —
a suppressed share not even its base ``n``, which would tell how few people answered — so a validator
catches a leak that slipped past ``analysis.privacy``. Objects allow no unknown keys, so a change to the
model must be made here too.
"""

from __future__ import annotations

NULLABLE_NUMBER = {"type": ["number", "null"]}
NULLABLE_COUNT = {"type": ["integer", "null"], "minimum": 0}
NULLABLE_STRING = {"type": ["string", "null"]}
NULL = {"type": "null"}


def _object(properties: dict, **extra: object) -> dict:
    schema = {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}
    return schema | extra


def _suppressed_means_null(*keys: str) -> dict:
    return {
        "if": {"properties": {"suppressed": {"const": True}}},
        "then": {"properties": {key: NULL for key in keys}},
    }


def _array(ref: str) -> dict:
    return {"type": "array", "items": {"$ref": f"#/$defs/{ref}"}}


SHARE = _object(
    {
        "count": NULLABLE_COUNT,
        "n": NULLABLE_COUNT,
        "share": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
        "low": NULLABLE_NUMBER,
        "high": NULLABLE_NUMBER,
        "suppressed": {"type": "boolean"},
        "small_base": {"type": "boolean"},
        "weighted": {"type": "boolean"},
    },
    **_suppressed_means_null("count", "n", "share", "low", "high"),
)
VOTES = ("agree", "disagree", "pass")
STATEMENT = _object(
    {
        "text": {"type": "string"},
        "language": {"type": "string", "minLength": 2},
        "organisation": {"type": "string"},
        "held_on": {"type": "string", "format": "date"},
        "codes": {"type": "array", "items": {"type": "string"}},
        "code_labels": {"type": "array", "items": {"type": "string"}},
        "decided": {"type": "boolean"},
        "voters": NULLABLE_COUNT,
        "votes": _object(dict.fromkeys(VOTES, NULLABLE_COUNT)),
        "suppressed": {"type": "boolean"},
    },
    **{  # withheld votes: not even how many voted
        "if": {"properties": {"suppressed": {"const": True}}},
        "then": {"properties": {"voters": NULL, "votes": {"properties": dict.fromkeys(VOTES, NULL)}}},
    },
)
SHARES_BY_NAME = {"type": "object", "additionalProperties": {"$ref": "#/$defs/share"}}
OPTIONAL_SHARE = {"anyOf": [{"$ref": "#/$defs/share"}, NULL]}

JSON_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://stimmen.example/schemas/report-section.json",
    "title": "Stimmen report section",
    "$defs": {
        "share": SHARE,
        "figure": _object(
            {"id": {"type": "string"}, "title": {"type": "string"}, "alt": {"type": "string", "minLength": 1}}
        ),
        "indicator_value": _object(
            {"year": {"type": "integer"}, "value": NULLABLE_NUMBER, "missing_reason": NULLABLE_STRING}
        ),
        "indicator_row": _object(
            {
                "indicator": {"type": "string"},
                "district": NULLABLE_STRING,
                "unit": NULLABLE_STRING,
                "values": _array("indicator_value"),
                "target": NULLABLE_NUMBER,
                "threshold": NULLABLE_NUMBER,
                "higher_is_better": {"type": "boolean"},
                "status": {
                    "enum": ["target_reached", "on_track", "below_threshold", "between", "no_target", "missing"]
                },
                "trend": {"enum": ["improving", "worsening", "stable", "unknown"]},
                "source": NULLABLE_STRING,
            }
        ),
        "option_result": _object(
            {
                "option": {"type": "string"},
                "label": {"type": "string"},
                "overall": {"$ref": "#/$defs/share"},
                "by_district": SHARES_BY_NAME,
                "previous": OPTIONAL_SHARE,
            }
        ),
        "closed_result": _object(
            {"question": {"type": "string"}, "label": {"type": "string"}, "options": _array("option_result")}
        ),
        "code_count": _object(
            {
                "code": {"type": "string"},
                "label": {"type": "string"},
                "kind": {"enum": ["strength", "barrier", "other"]},
                "count": NULLABLE_COUNT,
                "n": NULLABLE_COUNT,
                "share": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
                "suppressed": {"type": "boolean"},
                "small_base": {"type": "boolean"},
                "by_district": SHARES_BY_NAME,
                "by_group": {"type": "object", "additionalProperties": SHARES_BY_NAME},
                "suggested": NULLABLE_COUNT,
                "previous": OPTIONAL_SHARE,
            },
            **_suppressed_means_null("count", "share"),
        ),
        "co_occurrence": _object(
            {
                "first": {"type": "string"},
                "second": {"type": "string"},
                "count": NULLABLE_COUNT,
                "suppressed": {"type": "boolean"},
            },
            **_suppressed_means_null("count"),
        ),
        "quote": _object(
            {
                "text": {"type": "string"},
                "language": {"type": "string", "minLength": 2},
                "language_name": {"type": "string", "minLength": 1},
                "codes": {"type": "array", "items": {"type": "string"}},
            }
        ),
        "statement": STATEMENT,
        "workshop": _object(
            {
                "organisation": {"type": "string"},
                "held_on": {"type": "string", "format": "date"},
                "participants": NULLABLE_COUNT,
                "suppressed": {"type": "boolean"},
                "statements": {"type": "integer", "minimum": 0},
            },
            **_suppressed_means_null("participants"),
        ),
        "field": _object(
            {
                "id": {"type": "string"},
                "title": {"type": "string"},
                "indicators": _array("indicator_row"),
                "closed": _array("closed_result"),
                "strengths": _array("code_count"),
                "barriers": _array("code_count"),
                "co_occurrences": _array("co_occurrence"),
                "quotes": _array("quote"),
                "figures": _array("figure"),
                "summary": {"type": "array", "items": {"type": "string"}},
                "statements": _array("statement"),
            }
        ),
    },
    **_object(
        {
            "wave": {"type": "string"},
            "title": {"type": "string"},
            "language": {"enum": ["de", "en"]},
            "generated_at": {"type": "string"},
            "respondents": {"type": "integer", "minimum": 0},
            "min_cell_size": {"type": "integer", "minimum": 1},
            "districts": {"type": "array", "items": {"type": "string"}},
            "suppressed_districts": {"type": "array", "items": {"type": "string"}},
            "previous_wave": NULLABLE_STRING,
            "weighting": NULLABLE_STRING,
            "summary": {"type": "array", "items": {"type": "string"}},
            "fields": _array("field"),
            "methods": {"type": "array", "items": {"type": "string"}},
            "workshops": _array("workshop"),
            "other_statements": _array("statement"),
        }
    ),
}
