"""Rules of indicators: what a valid indicator is, where it stands against its target,
and SMART advice on an objective. Plain functions: views and tests call them directly."""
from decimal import Decimal
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

QUANTITATIVE, QUALITATIVE = "quantitative", "qualitative"

# Codes returned by ``status_against_target`` and the badge tone of each.
STATUS_TONES = {
    "ahead": "success",
    "on_track": "info",
    "behind": "danger",
    "to_assess": "neutral",
    "no_target": "muted",
    "no_value": "warning",
    "upcoming": "info",
}
ON_TRACK_RATIO = Decimal("0.9")

# Bounds of a figure by its unit: counts and amounts are never negative, a share in « % »
# lies between 0 and 100; a unit that says otherwise (an evolution, a gap, a balance) is
# left unbounded.
PERCENT_UNITS = ("%", "pourcent", "pourcentage", "pour cent", "% des", "% de")
AMOUNT_UNITS = ("€", "euro", "euros", "eur", "€ ht", "€ ttc", "k€")
SIGNED_WORDS = ("évolution", "evolution", "écart", "ecart", "solde", "variation", "±", "+/-")
PLAUSIBLE_AMOUNT = Decimal("100000000")  # 100 millions d'euros


def _unit(unit: str | None) -> str:
    return (unit or "").strip().casefold()


def is_percent(unit: str | None) -> bool:
    return _unit(unit).startswith(PERCENT_UNITS)


def is_amount(unit: str | None) -> bool:
    return _unit(unit) in AMOUNT_UNITS


def bounds(unit: str | None) -> tuple[Decimal | None, Decimal | None]:
    """The lowest and highest figure an indicator in ``unit`` accepts."""
    if any(word in _unit(unit) for word in SIGNED_WORDS):
        return None, None
    return Decimal(0), (Decimal(100) if is_percent(unit) else None)


def number_error(unit: str | None, value) -> str | None:
    """Why ``value`` means nothing in ``unit`` (None when it does)."""
    if value is None:
        return None
    value = Decimal(value)
    low, high = bounds(unit)
    shown = unit or _("unités")
    if low is not None and value < low:
        return _("Une valeur en %(unit)s ne peut pas être négative : indiquez 0 ou plus.",
                 unit=shown)
    if high is not None and value > high:
        return _("Un pourcentage est compris entre 0 et 100 : indiquez une valeur de 0 à 100 "
                 "(ou précisez une unité d'évolution, « points d'évolution », si elle peut "
                 "dépasser 100).")
    if is_amount(unit):
        return amount_error(value)
    return None


def amount_error(value) -> str | None:
    """Why an amount in euros is not plausible (None when it is)."""
    value = Decimal(value)
    if value < 0:
        return _("Un montant ne peut pas être négatif : indiquez 0 ou plus.")
    if value != value.quantize(Decimal("0.01")):
        return _("Un montant a au plus deux décimales (les centimes).")
    if value > PLAUSIBLE_AMOUNT:
        return _("Ce montant dépasse 100 millions d'euros : vérifiez-le (une faute de frappe ?) "
                 "et écrivez-le en chiffres, par exemple 12 500.")
    return None


def level_error(scale: str, text: str | None) -> str | None:
    """A qualitative target or measure is one of its scale's levels, when there is a scale."""
    levels = scale_levels(scale)
    if levels and (text or "").strip() and _level(levels, text) is None:
        return _("Choisissez un niveau de l'échelle de l'indicateur : %(levels)s.",
                 levels=", ".join(levels))
    return None


def indicator_errors(*, title: str, kind: str, unit: str, direction: str = "increase",
                     baseline=None, baseline_year=None) -> dict[str, str]:
    """The reasons an indicator cannot be saved, by field (empty when it can)."""
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Donnez un intitulé à l'indicateur.")
    if kind not in (QUANTITATIVE, QUALITATIVE):
        errors["kind"] = _("Choisissez un indicateur quantitatif ou qualitatif.")
    if kind == QUANTITATIVE and not (unit or "").strip():
        errors["unit"] = _(
            "Un indicateur quantitatif a besoin d'une unité (personnes, €, actions, %…) : "
            "sans elle, une cible chiffrée ne veut rien dire."
        )
    if direction not in ("increase", "decrease"):
        errors["direction"] = _("Choisissez le sens de progression attendu.")
    if baseline_year is not None and not 1900 <= int(baseline_year) <= 2200:
        errors["baseline_year"] = _("Année de référence invalide.")
    if kind == QUALITATIVE and baseline is not None:
        errors["baseline"] = _("Un indicateur qualitatif n'a pas de valeur de référence chiffrée.")
    elif kind == QUANTITATIVE and number_error(unit, baseline):
        errors["baseline"] = number_error(unit, baseline)
    return errors


def target_errors(indicator, *, year, value=None, statement=None) -> dict[str, str]:
    """Why a target cannot be set: a quantitative target needs a number and the
    indicator's unit, a qualitative one needs a statement."""
    errors = {}
    if year is None or not 1900 <= int(year) <= 2200:
        errors["year"] = _("Indiquez l'année de la cible.")
    if indicator.kind == QUANTITATIVE:
        if not (indicator.unit or "").strip():
            errors["value"] = _(
                "Cette cible n'a pas d'unité : précisez d'abord l'unité de l'indicateur "
                "(personnes, €, actions, %…)."
            )
        elif value is None:
            errors["value"] = _("Indiquez la valeur visée (un nombre).")
        elif number_error(indicator.unit, value):
            errors["value"] = number_error(indicator.unit, value)
    elif not (statement or "").strip():
        errors["statement"] = _("Décrivez la situation visée pour cette année.")
    elif level_error(getattr(indicator, "scale", ""), statement):
        errors["statement"] = level_error(getattr(indicator, "scale", ""), statement)
    return errors


def value_errors(indicator, *, year, value=None, text_value="") -> dict[str, str]:
    errors = {}
    if year is None or not 1900 <= int(year) <= 2200:
        errors["year"] = _("Indiquez l'année de la mesure.")
    if indicator.kind == QUANTITATIVE and value is None:
        errors["value"] = _("Indiquez la valeur mesurée (un nombre, en %(unit)s).",
                            unit=indicator.unit or _("unités"))
    elif indicator.kind == QUANTITATIVE and number_error(indicator.unit, value):
        errors["value"] = number_error(indicator.unit, value)
    if indicator.kind == QUALITATIVE and not (text_value or "").strip():
        errors["text_value"] = _("Décrivez la situation constatée.")
    elif indicator.kind == QUALITATIVE and level_error(getattr(indicator, "scale", ""), text_value):
        errors["text_value"] = level_error(getattr(indicator, "scale", ""), text_value)
    return errors


def scale_levels(scale: str) -> list[str]:
    """The levels of a qualitative scale, one per line (or separated by « / » or « ; »)."""
    parts = re.split(r"[\n;/]+", scale or "")
    return [part.strip() for part in parts if part.strip()]


def _level(levels: list[str], text: str) -> int | None:
    wanted = (text or "").strip().casefold()
    for index, level in enumerate(levels):
        if level.casefold() == wanted:
            return index
    return None


def status_against_target(indicator, year: int) -> tuple[str, str]:
    """Where ``indicator`` stands in ``year``: ``(code, French label)``.

    Needs the indicator's ``targets`` and ``values`` loaded. The measure used is the
    year's last validated value, or its last value when none is validated.

    - No target for the year → ``no_target`` « Pas de cible pour <année> ».
    - A target but no measure → ``no_value`` « Pas encore de mesure ».
    - Quantitative, direction « increase »: the progress is the measure over the
      target, or, when a baseline below the target is set, the way travelled from
      the baseline: (measure − baseline) / (target − baseline).
      Progress ≥ 100 % → ``ahead`` « Cible atteinte »; ≥ 90 % → ``on_track``
      « En bonne voie »; below → ``behind`` « En retard sur la cible ».
    - Quantitative, direction « decrease » (less is better): the same thresholds with
      the comparison inverted: measure ≤ target → « Cible atteinte »; without
      baseline (or one not above the target), progress = target / measure; with one,
      (baseline − measure) / (baseline − target).
    - Qualitative with a scale (levels listed from worst to best) whose levels name
      both the target statement and the measure: measure at or above the target's
      level → ``ahead`` « Cible atteinte »; one level below → ``on_track``
      « En bonne voie »; further below → ``behind`` « En retard sur la cible ».
    - Qualitative otherwise: a text cannot be compared automatically → ``to_assess``
      « Mesure à apprécier ».
    """
    target = indicator.target_for(year)
    if target is None or (target.value is None and not (target.statement or "").strip()):
        return "no_target", _("Pas de cible pour %(year)s", year=year)
    measure = indicator.latest_value(year)
    if measure is None or (measure.value is None and not (measure.text_value or "").strip()):
        return "no_value", _("Pas encore de mesure")
    if indicator.kind == QUANTITATIVE:
        if target.value is None or measure.value is None:
            return "no_value", _("Pas encore de mesure")
        ratio = _progress_ratio(indicator, Decimal(target.value), Decimal(measure.value))
        return _from_ratio(ratio)
    levels = scale_levels(indicator.scale)
    wanted = _level(levels, target.statement or "")
    reached = _level(levels, measure.text_value)
    if wanted is None or reached is None:
        return "to_assess", _("Mesure à apprécier")
    if reached >= wanted:
        return "ahead", _("Cible atteinte")
    if reached == wanted - 1:
        return "on_track", _("En bonne voie")
    return "behind", _("En retard sur la cible")


def _progress_ratio(indicator, target: Decimal, measure: Decimal) -> Decimal:
    baseline = indicator.baseline
    increase = indicator.direction != "decrease"
    if increase and measure >= target or not increase and measure <= target:
        return Decimal(1)
    if baseline is not None and (Decimal(baseline) < target if increase
                                 else Decimal(baseline) > target):
        baseline = Decimal(baseline)
        if increase:
            return (measure - baseline) / (target - baseline)
        return (baseline - measure) / (baseline - target)
    if increase:
        return measure / target if target else Decimal(1)
    return target / measure if measure else Decimal(1)


def _from_ratio(ratio: Decimal) -> tuple[str, str]:
    if ratio >= 1:
        return "ahead", _("Cible atteinte")
    if ratio >= ON_TRACK_RATIO:
        return "on_track", _("En bonne voie")
    return "behind", _("En retard sur la cible")


def status_tone(code: str) -> str:
    return STATUS_TONES.get(code, "neutral")


# SMART -------------------------------------------------------------------------------

SMART_CRITERIA = {
    "specifique": _l("Spécifique"),
    "mesurable": _l("Mesurable"),
    "atteignable": _l("Atteignable / Acceptable"),
    "realiste": _l("Réaliste"),
    "temporel": _l("Temporellement défini"),
}

# Verbs that state an intention rather than what will be done.
VAGUE_VERBS = (
    "améliorer", "favoriser", "développer", "renforcer", "promouvoir", "sensibiliser",
    "encourager", "faciliter", "valoriser", "soutenir", "dynamiser", "optimiser",
    "accompagner", "réfléchir",
)
_NUMBER = re.compile(r"\d")
_TIME = re.compile(
    r"\b(19|20)\d{2}\b|\d{1,2}/\d{1,2}|\bd[’']ici\b|\bavant (le|la|fin|l[’'])|"
    r"\b(janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|"
    r"novembre|décembre|decembre|trimestre|semestre|rentrée|chaque (mois|année|semaine)|"
    r"mensuel(le)?s?|annuel(le)?s?|hebdomadaires?)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+", re.UNICODE)


SMART_LETTERS = {"S": "specifique", "M": "mesurable", "A": "atteignable", "R": "realiste",
                 "T": "temporel"}


def smart_advice(text: str, *, has_measure: bool = False, has_date: bool = False,
                 has_owner: bool = False, has_means: bool | None = None,
                 has_target: bool | None = None, names: dict[str, str] | None = None
                 ) -> list[str]:
    """French advice naming each SMART criterion an objective seems to miss.

    Advice, never a block: the caller shows it next to the objective and saves anyway.
    ``has_*`` say what the objective's record already holds (an indicator, a due date, a
    porteur, a budget or means, a target); the text itself may also carry a figure or a
    date (« 4 sorties famille d'ici juin 2026 »). ``has_means`` / ``has_target`` left to
    ``None`` are not checked. ``names`` (letter → word) names the criteria in a charter's own
    words (« T » : « temporalisé »). An empty list means the objective looks SMART.
    """
    text = (text or "").strip()
    words = _WORD.findall(text)
    lowered = text.casefold()
    names = names or {}

    def said(letter: str, advice: str) -> str:
        name = names.get(letter) or str(SMART_CRITERIA[SMART_LETTERS[letter]])
        return _("%(criterion)s : %(advice)s", criterion=name[:1].upper() + name[1:],
                 advice=advice)

    advice = []
    starts_vague = bool(words) and words[0].casefold() in VAGUE_VERBS
    if len(words) < 4 or (starts_vague and len(words) < 8):
        advice.append(said("S", _(
            "l'objectif reste général. Dites précisément ce qui sera fait et pour quel public "
            "(« organiser 4 sorties famille pour les habitants de Palente » plutôt que "
            "« favoriser les sorties »).")))
    if not has_measure and not _NUMBER.search(text) and has_target is not True:
        advice.append(said("M", _(
            "aucun chiffre ni indicateur ne permet de savoir si l'objectif sera atteint. "
            "Ajoutez un indicateur (nombre d'inscrits, de partenaires…) et sa cible.")))
    elif has_target is False and not _NUMBER.search(text):
        advice.append(said("M", _(
            "l'indicateur n'a pas encore de cible. Fixez la valeur visée pour chaque année.")))
    if not has_owner:
        advice.append(said("A", _(
            "personne ne porte cet objectif. Désignez la structure ou la personne qui s'engage "
            "à le mener.")))
    if has_means is False:
        advice.append(said("R", _(
            "aucun moyen n'est indiqué. Précisez le budget, le temps ou les personnes mobilisées "
            "pour vérifier que l'objectif est tenable.")))
    if not has_date and not _TIME.search(lowered):
        advice.append(said("T", _(
            "aucune échéance. Fixez une date ou une période (« d'ici juin 2026 », « chaque "
            "trimestre »).")))
    return advice
