"""Dependency aliases for routes: what a request may use, and nothing global."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Request

from mlpivot.bootstrap import Services
from mlpivot.catalog import Catalog


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def get_today() -> date:
    """Today on this machine; a dependency so that tests can pin the date."""
    return date.today()


def get_catalog(request: Request) -> Catalog:
    return get_services(request).catalog


ServicesDep = Annotated[Services, Depends(get_services)]
CatalogDep = Annotated[Catalog, Depends(get_catalog)]
TodayDep = Annotated[date, Depends(get_today)]
