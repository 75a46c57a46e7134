"""What each participation figure means, in English and French: written beside the data, so every
number the dashboard prints can be shown with its definition (table ``metric_definitions``)."""

from __future__ import annotations

import duckdb

# metric_id: (label_en, label_fr, definition_en, definition_fr)
DEFINITIONS: dict[str, tuple[str, str, str, str]] = {
    "proposals_by_state": (
        "Proposals by state", "Propositions par état",
        "Published proposals (test entries included) per normalised state: Decidim's answer state "
        "(unanswered = 'published', 0.29+ withdrawn flag = 'withdrawn'); Consul has no state, so 'withdrawn' "
        "means retired_at is set and everything else is 'published' ('archived' in the 2019 research extract).",
        "Propositions publiées (entrées de test comprises) par état normalisé : l'état de réponse de Decidim "
        "(sans réponse = « published », drapeau retiré 0.29+ = « withdrawn ») ; Consul n'a pas d'état : "
        "« withdrawn » signifie retired_at renseigné, le reste est « published » (« archived » dans l'extrait de 2019)."),
    "accepted_proposal": (
        "Accepted proposal", "Proposition acceptée",
        "Decidim: state 'accepted' published by the administrators. Consul has no acceptance; reaching the "
        "support threshold is counted separately.",
        "Decidim : état « accepted » publié par les administrateurs. Consul n'a pas d'acceptation ; l'atteinte du "
        "seuil de soutiens est comptée à part."),
    "supports": (
        "Supports", "Soutiens",
        "Decidim: proposal votes (voteCount / 'supports' or 'votes' column; null when the component hides them) "
        "and, for budget projects, confirmed_votes. Consul: cached_votes_up. Counted at the export or collection date.",
        "Decidim : votes des propositions (voteCount / colonne « supports » ou « votes » ; vide quand le composant "
        "les masque) et, pour les projets de budget, confirmed_votes. Consul : cached_votes_up. Comptés à la date "
        "de l'export ou de la collecte."),
    "proposals_by_month": (
        "Proposals per month", "Propositions par mois",
        "Proposals by month of publication (Decidim published_at, Consul created_at; Madrid's export gives the day only).",
        "Propositions par mois de publication (published_at de Decidim, created_at de Consul ; l'export de Madrid "
        "ne donne que le jour)."),
    "results_progress": (
        "Result progress", "Avancement des résultats",
        "Decidim accountability results per status with their mean published progress (0-100); parents and "
        "children are both counted, so sums over levels double count.",
        "Résultats de suivi Decidim par statut avec leur avancement moyen publié (0-100) ; parents et enfants "
        "sont comptés, donc une somme sur plusieurs niveaux compte deux fois."),
    "meetings_by_month": (
        "Meetings per month", "Réunions par mois",
        "Published, visible Decidim meetings by month of start; attendees as declared by the organisers.",
        "Réunions Decidim publiées et visibles par mois de début ; participants tels que déclarés par les organisateurs."),
    "first_page_exposure": (
        "Days on the first page", "Jours en première page",
        "Time between a proposal's publication and that of the page-size-th proposal after it, in a newest-first "
        "list with the platform's default page size: reconstructed, not measured.",
        "Temps entre la publication d'une proposition et celle de la n-ième suivante (n = taille de page par défaut), "
        "dans une liste des plus récentes d'abord : reconstruit, non mesuré."),
    "support_gini": (
        "Gini of supports", "Gini des soutiens",
        "Gini coefficient of supports over proposals (test entries excluded): 0 = equal, close to 1 = all on one.",
        "Coefficient de Gini des soutiens entre propositions (entrées de test exclues) : 0 = égalité, proche de 1 = "
        "tout sur une."),
    "threshold_reached": (
        "Proposals reaching the threshold", "Propositions au seuil",
        "Proposals whose supports reach the installation's qualifying threshold (Decide Madrid: 28,413, 1 % of "
        "the census aged 16+).",
        "Propositions dont les soutiens atteignent le seuil de qualification de l'installation (Decide Madrid : "
        "28 413, 1 % de la population recensée de 16 ans et plus)."),
    "budget_moved_share": (
        "Budget share moved by a rule", "Part du budget déplacée par une règle",
        "Cost of the projects a rule funds that the reference (actual selection, else greedy) does not, divided by "
        "the budget.",
        "Coût des projets financés par une règle mais pas par la référence (sélection réelle, sinon règle gloutonne), "
        "divisé par le budget."),
}


def write_definitions(con: duckdb.DuckDBPyConnection) -> None:
    """Upsert every definition (idempotent; run with each import or collection)."""
    con.executemany(
        "INSERT OR REPLACE INTO metric_definitions (metric_id, label_en, label_fr, definition_en, definition_fr) "
        "VALUES (?, ?, ?, ?, ?)",
        [(metric_id, *texts) for metric_id, texts in DEFINITIONS.items()],
    )
