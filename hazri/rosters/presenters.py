"""The rosters app's objects as the API answers them (pages read the same dicts)."""

from typing import Any

from hazri.accounts.names import person_name
from hazri.rosters import selectors
from hazri.rosters.models import RosterJob, RosterLine, RosterMapping


def mapping_out(mapping: RosterMapping) -> dict[str, Any]:
    return {
        "id": mapping.pk,
        "unit": mapping.unit_id,
        "name": mapping.name,
        "kind": mapping.kind,
        "columns": mapping.columns,
        "date_formats": mapping.date_formats,
        "version": mapping.version,
        "updated_by": person_name(mapping.updated_by) if mapping.updated_by else None,
        "updated_at": mapping.updated_at,
    }


def job_out(job: RosterJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "kind": job.kind,
        "file_name": job.file_name,
        "mapping": job.mapping_id,
        "mapping_version": job.mapping_version,
        "on": job.on,
        "status": job.status,
        "created_at": job.created_at,
        "rows": job.rows,
        "rows_done": job.rows_done,
        "schools": job.schools,
        "schools_done": job.schools_done,
        "counts": job.counts,
        "may_confirm": job.status == RosterJob.Status.PREVIEWED and not job.refused,
        "parts": [
            {
                "school": part.school_id,
                "school_code": part.school.code,
                "school_name": part.school.name,
                "rows": part.rows,
                "status": part.status,
                "counts": part.counts,
                "error": part.error,
            }
            for part in selectors.job_parts(job)
        ],
        "error": job.error,
    }


def line_out(line: RosterLine) -> dict[str, Any]:
    return {
        "line": line.line,
        "school": line.school_id,
        "action": line.action,
        "key": line.key,
        "name": line.name,
        "changes": line.changes,
        "column": line.column,
        "reason": line.reason,
    }
