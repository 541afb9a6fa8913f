"""Handing a stored receipt back: as an attachment with a neutral name and the content
type found when it was uploaded, never rendered inline by the browser."""

from django.http import FileResponse, Http404

from visitflow.spend.models import ActualSpend


def receipt_response(actual: ActualSpend) -> FileResponse:
    name = actual.receipt.name or ""
    if not name:
        raise Http404
    try:
        handle = actual.receipt.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    suffix = name.rsplit(".", 1)[-1] if "." in name else "bin"
    response = FileResponse(
        handle,
        content_type=actual.receipt_content_type or "application/octet-stream",
        as_attachment=True,
        filename=f"receipt-{actual.pk}.{suffix}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
