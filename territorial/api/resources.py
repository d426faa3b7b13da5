"""The territorial resources of the open-data API (one line each).

People (``person``) and accounts are not published: names, e-mail addresses and phone
numbers of individuals are personal data (RGPD); they stay in the pages, for members.
"""
from flask_babel import lazy_gettext as _l

from territorial.actors.models import Organisation
from territorial.charters.models import Charter, CharterInstance, CharterMember
from territorial.conventions.models import (
    Convention, ConventionAmount, ConventionObjective, Priority,
)
from territorial.indicators.models import Indicator, IndicatorTarget, IndicatorValue
from territorial.projects.models import Project
from territorial.raci.models import RaciActivity, RaciActor, RaciCell, RaciGrid
from territorial.timelines.models import PartnerTimeline, TimelineEntry, TimelineLevel
from territorial.api.registry import Resource, register

OWNED = ("owner_type", "owner_id")

register(Resource("organisations", Organisation, _l("Organisations du territoire")))
register(Resource("projects", Project, _l("Projets de partenariat")))
register(Resource("timelines", PartnerTimeline, _l("Frises des partenariats"), filters=OWNED))
register(Resource("timeline-levels", TimelineLevel, _l("Niveaux d'implication d'une frise")))
register(Resource("timeline-entries", TimelineEntry, _l("Partenaires placés sur une frise")))
register(Resource("raci-grids", RaciGrid, _l("Grilles RACI"), filters=OWNED))
register(Resource("raci-activities", RaciActivity, _l("Activités d'une grille RACI")))
register(Resource("raci-actors", RaciActor, _l("Acteurs d'une grille RACI"),
                  withheld={"label": lambda table: table.c.person_id.is_not(None)}))
register(Resource("raci-cells", RaciCell, _l("Cases R / A / C / I d'une grille RACI"),
                  only=lambda table: [table.c.letter.is_not(None)]))  # not the emptied ones
register(Resource("indicators", Indicator, _l("Indicateurs"), filters=OWNED))
register(Resource("indicator-targets", IndicatorTarget, _l("Cibles annuelles des indicateurs")))
register(Resource("indicator-values", IndicatorValue, _l("Valeurs atteintes des indicateurs"),
                  exclude=("comment",)))
register(Resource("charters", Charter, _l("Chartes de partenariat")))
register(Resource("charter-members", CharterMember, _l("Structures signataires d'une charte")))
register(Resource("charter-instances", CharterInstance, _l("Instances d'une charte")))
register(Resource("conventions", Convention, _l("Conventions collectivité – association")))
register(Resource("convention-priorities", Priority, _l("Priorités de la collectivité")))
register(Resource("convention-objectives", ConventionObjective,
                  _l("Objectifs partagés d'une convention")))
register(Resource("convention-amounts", ConventionAmount,
                  _l("Montants annuels des conventions")))
