"""The report page's fixed words, in English and Spanish (private; ``georeport.stats.html.LABELS``).

A table of words per language, by key: section titles, column heads, captions,
``flag.<flag>``/``flag_help.<flag>``, ``unit.<unit>``, ``clock.<clock>``; a chart word
followed by ``.<clock>`` (``survival_y.first_response``) words that clock's chart its own way.
Every language has the same keys as English (a test holds it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

__all__ = ["INDICATOR_TITLES", "LABELS", "NOTES"]

_EN: dict[str, str] = {
    "as_of": "Figures as of",
    "period_rule": "Periods",
    "contents": "Contents",
    "headline": "Figures in detail",
    "headline_intro": (
        "One table per indicator, one row per group, in the report's order (never ranked). "
        "Every figure shows what was counted above and below the line."
    ),
    "notes": "Read this first",
    "charts": "Charts",
    "survival": "Time to respond and to close: share of requests still waiting",
    "backlog": "Backlog flow",
    "ages": "Age of open requests",
    "quality": "Data quality",
    "quality_intro": "Nothing is dropped silently: each check says how many requests it found and what was done with them.",
    "equity": "Equity by area",
    "equity_intro": (
        "Raw figures and figures standardised for service mix (direct standardisation on service). "
        "Requests per 1,000 residents measure responsiveness to reports, not need."
    ),
    "methods": "Methods",
    "all": "All",
    "group": "Group",
    "dimension.group": "Group",
    "dimension.agency": "Agency",
    "dimension.service": "Service",
    "dimension.service_group": "Service group",
    "dimension.channel": "Channel",
    "dimension.area": "Area",
    "dimension.period": "Period",
    "dimension.jurisdiction": "Jurisdiction",
    "value": "Value",
    "interval": "95% interval",
    "numerator": "Numerator",
    "denominator": "Denominator",
    "n": "n",
    "flags": "Notes",
    "events": "Closed",
    "censored": "Open at the as-of time",
    "median": "Median (Kaplan-Meier)",
    "still_open_at": "Open at {time} {unit}",
    "target": "Target",
    "target_line": "Target: {time} {unit}",
    "clock.close": "to close",
    "clock.first_response": "to first response",
    "survival_title": "Share of requests still open, time {clock} ({unit})",
    "survival_desc": (
        "Kaplan-Meier step curves of the share of requests still open against time since received "
        "({unit}), open requests censored at the as-of time, with 95% confidence bands, for: {groups}. "
        "The table after the chart gives the same figures."
    ),
    "survival_x": "Time since received ({unit})",
    "survival_y": "Still open (%)",
    "survival_title.first_response": "Share of requests not yet answered, time {clock} ({unit})",
    "survival_desc.first_response": (
        "Kaplan-Meier step curves of the share of requests not yet answered against time since received "
        "({unit}), requests still unanswered censored at the as-of time and requests closed without a response "
        "censored at their close, with 95% confidence bands, for: {groups}. The table after the chart gives the "
        "same figures."
    ),
    "survival_y.first_response": "Not yet answered (%)",
    "events.first_response": "Answered",
    "censored.first_response": "Unanswered (censored)",
    "still_open_at.first_response": "Unanswered at {time} {unit}",
    "backlog_title": "Backlog flow: {group}",
    "backlog_desc": (
        "Top: requests open at the end of each period, reproduced from history. Bottom: requests opened "
        "(solid bars) and closed (hatched bars) in each period. The table after the chart gives the same figures."
    ),
    "backlog_x": "Period",
    "backlog_y": "Requests in the period",
    "period_col": "Period",
    "opened": "Opened",
    "closed": "Closed",
    "backlog_end": "Open at period end",
    "ages_title": "Age of open requests: {group}",
    "ages_desc": "Requests open at the as-of time by age in days. The table after the chart gives the same counts.",
    "ages_x": "Age (days)",
    "ages_y": "Open requests",
    "bucket": "Age (days)",
    "count": "Requests",
    "check": "Check",
    "treatment": "Treatment",
    "area": "Area",
    "indicator": "Indicator",
    "raw": "Raw",
    "standardised": "Standardised for service mix",
    "population": "Residents",
    "per_1000": "Requests per 1,000 residents (responsiveness to reports, not need)",
    "no_data": "No data",
    "not_available": "\u2014",
    "formula": "Formula",
    "kind": "Kind",
    "unit": "Unit",
    "clock": "Clock",
    "calendar": "Calendar",
    "as_of_rule": "As-of time",
    "exclusions": "Exclusions",
    "identifier": "Identifier",
    "generated": "Computed at the as-of time {as_of}. The same data and as-of time give this same file.",
    "kind.count": "count",
    "kind.proportion": "proportion with a Wilson 95% interval",
    "kind.duration": "Kaplan-Meier quantile, open requests censored, 95% interval",
    "kind.rate": "rate",
    "unit.days": "days",
    "unit.business hours": "business hours",
    "unit.requests": "requests",
    "unit.share": "share",
    "unit.per 1,000 residents": "per 1,000 residents",
    "flag.proxy-close-time": "proxy close time",
    "flag.too-few-to-compare": "too few to compare",
    "flag.provisional": "provisional",
    "flag.changed": "changed",
    "flag.not-reached": "not reached",
    "flag.empty": "empty",
    "flag_help.proxy-close-time": "some close times are updated_datetime, used where no close event was known",
    "flag_help.too-few-to-compare": "the group is below the minimum size: shown, never ranked or compared",
    "flag_help.provisional": "some requests are not yet past their due time: the figure can still change",
    "flag_help.changed": "the 95% interval does not overlap the previous period's",
    "flag_help.not-reached": "too many requests are still open for the Kaplan-Meier estimate to reach it",
    "flag_help.empty": "no requests in the denominator: the figure is undefined",
    "flag_legend": "What the notes mean",
    "summary": "Summary",
    "summary_caption": "Each indicator by group; intervals, numerators and denominators are in Figures in detail.",
    "chart_data": "The chart's figures: {title}",
}

_ES: dict[str, str] = {
    "as_of": "Cifras al",
    "period_rule": "Períodos",
    "contents": "Contenido",
    "headline": "Cifras en detalle",
    "headline_intro": (
        "Una tabla por indicador y una fila por grupo, en el orden del informe (nunca un ranking). "
        "Cada cifra muestra lo que se contó en el numerador y en el denominador."
    ),
    "notes": "Lea esto primero",
    "charts": "Gráficos",
    "survival": "Tiempo de respuesta y de cierre: proporción de solicitudes aún en espera",
    "backlog": "Flujo de pendientes",
    "ages": "Antigüedad de las solicitudes abiertas",
    "quality": "Calidad de los datos",
    "quality_intro": (
        "Nada se descarta sin decirlo: cada control indica cuántas solicitudes encontró y qué se hizo con ellas."
    ),
    "equity": "Equidad por zona",
    "equity_intro": (
        "Cifras brutas y cifras estandarizadas por tipo de servicio (estandarización directa por servicio). "
        "Las solicitudes por 1.000 habitantes miden la respuesta a los reportes, no la necesidad."
    ),
    "methods": "Métodos",
    "all": "Total",
    "group": "Grupo",
    "dimension.group": "Grupo",
    "dimension.agency": "Entidad",
    "dimension.service": "Servicio",
    "dimension.service_group": "Grupo de servicios",
    "dimension.channel": "Canal",
    "dimension.area": "Zona",
    "dimension.period": "Período",
    "dimension.jurisdiction": "Jurisdicción",
    "value": "Valor",
    "interval": "Intervalo de 95%",
    "numerator": "Numerador",
    "denominator": "Denominador",
    "n": "n",
    "flags": "Notas",
    "events": "Cerradas",
    "censored": "Abiertas a la fecha de corte",
    "median": "Mediana (Kaplan-Meier)",
    "still_open_at": "Abiertas a {time} {unit}",
    "target": "Meta",
    "target_line": "Meta: {time} {unit}",
    "clock.close": "hasta el cierre",
    "clock.first_response": "hasta la primera respuesta",
    "survival_title": "Proporción de solicitudes aún abiertas, tiempo {clock} ({unit})",
    "survival_desc": (
        "Curvas escalonadas de Kaplan-Meier de la proporción de solicitudes aún abiertas según el tiempo desde "
        "su recepción ({unit}), con las abiertas censuradas a la fecha de corte y bandas de confianza de 95%, "
        "para: {groups}. La tabla que sigue al gráfico da las mismas cifras."
    ),
    "survival_x": "Tiempo desde la recepción ({unit})",
    "survival_y": "Aún abiertas (%)",
    "survival_title.first_response": "Proporción de solicitudes aún sin respuesta, tiempo {clock} ({unit})",
    "survival_desc.first_response": (
        "Curvas escalonadas de Kaplan-Meier de la proporción de solicitudes aún sin respuesta según el tiempo "
        "desde su recepción ({unit}), con las aún sin respuesta censuradas a la fecha de corte y las cerradas sin "
        "respuesta censuradas a su cierre, y bandas de confianza de 95%, para: {groups}. La tabla que sigue al "
        "gráfico da las mismas cifras."
    ),
    "survival_y.first_response": "Aún sin respuesta (%)",
    "events.first_response": "Respondidas",
    "censored.first_response": "Sin respuesta (censuradas)",
    "still_open_at.first_response": "Sin respuesta a {time} {unit}",
    "backlog_title": "Flujo de pendientes: {group}",
    "backlog_desc": (
        "Arriba: solicitudes abiertas al final de cada período, reconstruidas del historial. Abajo: solicitudes "
        "recibidas (barras llenas) y cerradas (barras rayadas) en cada período. La tabla que sigue al gráfico "
        "da las mismas cifras."
    ),
    "backlog_x": "Período",
    "backlog_y": "Solicitudes en el período",
    "period_col": "Período",
    "opened": "Recibidas",
    "closed": "Cerradas",
    "backlog_end": "Abiertas al final del período",
    "ages_title": "Antigüedad de las solicitudes abiertas: {group}",
    "ages_desc": (
        "Solicitudes abiertas a la fecha de corte según su antigüedad en días. "
        "La tabla que sigue al gráfico da los mismos conteos."
    ),
    "ages_x": "Antigüedad (días)",
    "ages_y": "Solicitudes abiertas",
    "bucket": "Antigüedad (días)",
    "count": "Solicitudes",
    "check": "Control",
    "treatment": "Tratamiento",
    "area": "Zona",
    "indicator": "Indicador",
    "raw": "Bruto",
    "standardised": "Estandarizado por tipo de servicio",
    "population": "Habitantes",
    "per_1000": "Solicitudes por 1.000 habitantes (respuesta a los reportes, no necesidad)",
    "no_data": "Sin datos",
    "not_available": "\u2014",
    "formula": "Fórmula",
    "kind": "Tipo",
    "unit": "Unidad",
    "clock": "Reloj",
    "calendar": "Calendario",
    "as_of_rule": "Fecha de corte",
    "exclusions": "Exclusiones",
    "identifier": "Identificador",
    "generated": (
        "Calculado a la fecha de corte {as_of}. Los mismos datos y la misma fecha de corte dan este mismo archivo."
    ),
    "kind.count": "conteo",
    "kind.proportion": "proporción con intervalo de Wilson de 95%",
    "kind.duration": "cuantil de Kaplan-Meier, solicitudes abiertas censuradas, intervalo de 95%",
    "kind.rate": "tasa",
    "unit.days": "días",
    "unit.business hours": "horas hábiles",
    "unit.requests": "solicitudes",
    "unit.share": "proporción",
    "unit.per 1,000 residents": "por 1.000 habitantes",
    "flag.proxy-close-time": "cierre aproximado",
    "flag.too-few-to-compare": "muy pocas para comparar",
    "flag.provisional": "provisional",
    "flag.changed": "cambio",
    "flag.not-reached": "no alcanzado",
    "flag.empty": "vacío",
    "flag_help.proxy-close-time": "algunas horas de cierre son updated_datetime, usada donde no se conocía el cierre",
    "flag_help.too-few-to-compare": "el grupo no alcanza el tamaño mínimo: se muestra, nunca se ordena ni se compara",
    "flag_help.provisional": "algunas solicitudes aún no llegan a su fecha límite: la cifra todavía puede cambiar",
    "flag_help.changed": "el intervalo de 95% no se superpone con el del período anterior",
    "flag_help.not-reached": "demasiadas solicitudes siguen abiertas para que Kaplan-Meier lo alcance",
    "flag_help.empty": "no hay solicitudes en el denominador: la cifra no está definida",
    "flag_legend": "Qué significan las notas",
    "summary": "Resumen",
    "summary_caption": "Cada indicador por grupo; los intervalos, numeradores y denominadores están en Cifras en detalle.",
    "chart_data": "Las cifras del gráfico: {title}",
}

#: The page's fixed words per language; ``Report.labels`` and ``labels=`` override them key by key.
LABELS: Mapping[str, Mapping[str, str]] = {"en": _EN, "es": _ES}


INDICATOR_TITLES: Final[Mapping[str, Mapping[str, str]]] = {
    "es": {
        "received": "Solicitudes recibidas (reportes)",
        "incidents": "Incidentes (duplicados agrupados)",
        "duplicate_children": "Duplicados",
        "response_rate": "Tasa de respuesta",
        "closure_rate": "Tasa de cierre (cualquier motivo)",
        "resolution_rate": "Tasa de resolución (problema resuelto)",
        "closed_resolved": "Cerradas como resueltas",
        "closed_duplicate": "Cerradas como duplicadas",
        "closed_referred": "Cerradas como remitidas",
        "closed_not_actionable": "Cerradas como no procedentes",
        "closed_withdrawn": "Cerradas como desistidas",
        "closed_unknown": "Cerradas por motivo desconocido",
        "referrals": "Remisiones por jurisdicción receptora",
        "time_to_first_response_median": "Mediana del tiempo hasta la primera respuesta",
        "time_to_first_response_median_business": "Mediana del tiempo hasta la primera respuesta (tiempo hábil)",
        "time_to_first_response_p90": "Percentil 90 del tiempo hasta la primera respuesta",
        "time_to_first_response_p90_business": "Percentil 90 del tiempo hasta la primera respuesta (tiempo hábil)",
        "time_to_close_median": "Mediana del tiempo hasta el cierre",
        "time_to_close_median_business": "Mediana del tiempo hasta el cierre (tiempo hábil)",
        "time_to_close_p90": "Percentil 90 del tiempo hasta el cierre",
        "time_to_close_p90_business": "Percentil 90 del tiempo hasta el cierre (tiempo hábil)",
        "time_to_first_close_median": "Mediana del tiempo hasta el primer cierre",
        "time_to_first_close_median_business": "Mediana del tiempo hasta el primer cierre (tiempo hábil)",
        "time_to_first_close_p90": "Percentil 90 del tiempo hasta el primer cierre",
        "time_to_first_close_p90_business": "Percentil 90 del tiempo hasta el primer cierre (tiempo hábil)",
        "on_time_closed": "Cerradas en el período dentro del plazo",
        "attainment_with_overdue": "Cumplimiento incluyendo vencidas",
        "cohort_attainment": "Cumplimiento de la cohorte",
        "response_on_time": "Respondidas dentro del plazo (cohorte)",
        "reopen_rate": "Tasa de reapertura",
        "backlog": "Abiertas al final del período (pendientes)",
        "open_past_due": "Abiertas y vencidas",
        "open_age_median": "Mediana de la antigüedad de las abiertas",
        "open_age_oldest": "Antigüedad de la solicitud abierta más antigua",
        "within_30_days": "Cerradas en 30 días calendario o menos (cohorte)",
        "within_target": "Cerradas dentro del plazo del servicio en días hábiles (cohorte)",
        "open_over_30_days": "Abiertas con más de 30 días",
        "received_by_channel": "Solicitudes recibidas por canal de entrada",
        "per_1000_residents": (
            "Solicitudes por cada 1.000 residentes (capacidad de respuesta a los reportes, no necesidad)"
        ),
    },
}
"""Indicator titles by language, for languages other than English (``indicators.INDICATORS`` has English)."""

NOTES: Final[Mapping[str, Mapping[str, str]]] = {
    "en": {
        "duplicates": (
            "{count} duplicate children are {where} timing and on-time denominators "
            "(see the 'duplicate children' line)."
        ),
        "duplicates.included": "included in",
        "duplicates.left_out": "left out of",
        "no_responses": (
            "The data records no first responses (a dump without first_response_datetime): "
            "{names} are left out rather than shown as 0%."
        ),
        "followed": "{count} duplicate children still open in the data follow their original: closed when it closed.",
        "proxies": (
            "{count} close times are updated_datetime, not a close event: figures using them are "
            "flagged 'proxy-close-time'."
        ),
    },
    "es": {
        "duplicates": (
            "{count} duplicados {where} los denominadores de tiempos y de cumplimiento de plazos "
            "(ver la línea 'duplicados')."
        ),
        "duplicates.included": "se incluyen en",
        "duplicates.left_out": "se excluyen de",
        "no_responses": (
            "Los datos no registran primeras respuestas (un volcado sin first_response_datetime): "
            "{names} se omiten en lugar de mostrarse como 0%."
        ),
        "followed": (
            "{count} duplicados aún abiertos en los datos siguen a su original: se cierran cuando este se cerró."
        ),
        "proxies": (
            "{count} fechas de cierre son updated_datetime, no un evento de cierre: las cifras que las usan "
            "llevan la marca 'fecha de cierre aproximada'."
        ),
    },
}
"""The report's notes by language (``Report.notes``)."""
