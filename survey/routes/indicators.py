"""Indicator import in the admin area: report authors upload official or long-format tables."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from analysis.indicators import IndicatorError, read_district_map, read_indicators
from survey.auth import require
from survey.indicators import import_indicators, indicator_overview
from survey.models import Role
from survey.web import DB, Query, form_value, redirect, render

AUTHORS = require(Role.admin, Role.author)
Upload = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]
FIELDS = ("field_of_action", "indicator", "unit", "direction", "source")


def _saved(upload: UploadFile, folder: Path, fallback: str) -> Path:
    """The upload under its own file name (errors name it; the suffix tells CSV from XLSX)."""
    folder.mkdir(exist_ok=True)
    path = folder / (Path(upload.filename or "").name or fallback)
    path.write_bytes(upload.file.read())
    return path


class IndicatorController(Controller):
    path = "/admin/indicators"

    @get("/", guards=[AUTHORS], sync_to_thread=True)
    def index(
        self,
        request: Request,
        db: DB,
        inserted: Query[int | None] = None,
        replaced: Query[int | None] = None,
        missing: Query[int | None] = None,
    ) -> Template:
        summary = None if inserted is None else {"inserted": inserted, "replaced": replaced or 0, "missing": missing}
        return self._page(request, db, summary=summary)

    def _page(self, request: Request, db: DB, status_code: int = 200, **context: Any) -> Template:
        context.setdefault("data", {})
        return render(request, "indicators/index.html", status_code=status_code, rows=indicator_overview(db), **context)

    @post("/", guards=[AUTHORS], sync_to_thread=True)
    def upload(self, request: Request, db: DB, data: Upload) -> Template | Redirect:
        fields = {name: form_value(data, name) for name in FIELDS}
        upload, districts_upload = data.get("file"), data.get("districts")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return self._page(request, db, 400, data=fields, error="file_missing")
        with tempfile.TemporaryDirectory(prefix="stimmen-indicators-") as folder:
            try:
                districts = None
                if isinstance(districts_upload, UploadFile) and districts_upload.filename:
                    districts = read_district_map(_saved(districts_upload, Path(folder) / "map", "districts.csv"))
                frame = read_indicators(
                    _saved(upload, Path(folder), "indicators.csv"),
                    districts=districts,
                    field_of_action=fields["field_of_action"] or None,
                    indicator=fields["indicator"] or None,
                    unit=fields["unit"] or None,
                    higher_is_better={"higher": True, "lower": False}.get(fields["direction"]),
                    source=fields["source"] or None,
                )
            except IndicatorError as exc:
                return self._page(request, db, 400, data=fields, error="file_invalid", problem=exc)
        summary = import_indicators(db, frame)
        return redirect(
            f"/admin/indicators?inserted={summary.inserted}&replaced={summary.replaced}&missing={summary.missing}"
        )
