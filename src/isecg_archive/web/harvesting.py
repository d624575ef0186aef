"""OAI-PMH at /oai: harvesters' requests, by GET or POST, answered by outputs/oai.py."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, request

from isecg_archive.outputs.oai import PAGE_SIZE, Repository
from isecg_archive.web.views import blueprint, collection, links


@blueprint.route("/oai", methods=["GET", "POST"])
def oai() -> Any:
    arguments = request.form if request.method == "POST" else request.args
    config = current_app.config
    repository = Repository(
        collection(),
        links(),
        config["OAI_ADMIN_EMAIL"],
        config.get("OAI_PAGE_SIZE", PAGE_SIZE),
        config["OAI_REPOSITORY_ID"],
    )
    body = repository.respond(list(arguments.items(multi=True)))
    return Response(body, mimetype="text/xml")
