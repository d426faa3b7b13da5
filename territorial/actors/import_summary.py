"""What an import will do, or did, in one sentence: one plural per count, the counts at zero
left out (« 1 organisation créée et 2 contacts ajoutés », never « 0 mise(s) à jour »)."""
from flask_babel import gettext as _
from flask_babel import ngettext

from territorial.actors.import_plan import Plan


def in_words(parts: list[str]) -> str:
    """« a », « a et b », « a, b et c »; an empty string when there is nothing to say."""
    if len(parts) < 2:
        return "".join(parts)
    return _("%(first)s et %(last)s", first=", ".join(parts[:-1]), last=parts[-1])


def _organisations(created: int, updated: int, kept: int = 0) -> list[str]:
    parts = []
    if created:
        parts.append(ngettext("%(num)d organisation créée", "%(num)d organisations créées",
                              created))
    if updated:
        parts.append(ngettext("%(num)d organisation mise à jour",
                              "%(num)d organisations mises à jour", updated))
    if kept:
        parts.append(ngettext("%(num)d organisation gardée telle quelle",
                              "%(num)d organisations gardées telles quelles", kept))
    return parts


def _people(added: int) -> list[str]:
    return [ngettext("%(num)d contact ajouté", "%(num)d contacts ajoutés", added)] if added else []


def preview(plan: Plan) -> str:
    """The preview's sentence, before the user confirms."""
    parts = _organisations(len(plan.with_choice("create")), len(plan.with_choice("update")),
                           len(plan.with_choice("keep"))) + _people(len(plan.new_people))
    if plan.skipped:
        parts.append(ngettext("%(num)d ligne laissée de côté", "%(num)d lignes laissées de côté",
                              len(plan.skipped)))
    if not parts:
        return _("Prêt à importer : rien ne sera créé ni changé.")
    return _("Prêt à importer : %(parts)s. Rien n'est enregistré avant votre confirmation.",
             parts=in_words(parts))


def joining(plan: Plan, group: str) -> str:
    """Who will join the group: already in the directory, or new."""
    found, new = len(plan.found), len(plan.new_people)
    if not found + new:
        return _("Personne ne rejoindra le groupe « %(group)s ».", group=group)
    parts = []
    if found:
        parts.append(ngettext("%(num)d déjà dans l'annuaire", "%(num)d déjà dans l'annuaire",
                              found))
    if new:
        parts.append(ngettext("%(num)d nouvelle", "%(num)d nouvelles", new))
    return ngettext("%(num)d personne rejoindra le groupe « %(group)s » : %(parts)s.",
                    "%(num)d personnes rejoindront le groupe « %(group)s » : %(parts)s.",
                    found + new, group=group, parts=", ".join(parts))


def done(counts: dict) -> str:
    """The message once the import is written."""
    parts = _organisations(counts["created"], counts["updated"]) + _people(counts["people"])
    if not parts:
        return _("Import terminé : rien n'a été créé ni changé.")
    return _("Import terminé : %(parts)s.", parts=in_words(parts))
