"""Pagination of list pages."""
from flask import current_app, request

from extensions import db


def paginate(statement):
    return db.paginate(
        statement,
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["PER_PAGE"],
        max_per_page=100,
        error_out=False,
    )
