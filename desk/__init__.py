"""The desk (Schreibtisch): the admin's start page of Redaktion and Freigabe.

Per person and role it shows what is to do – the person's drafts (with Freigabe's comment when
one was sent back), what waits for approval, what is scheduled (a list and a week or month
calendar), what went public last – each entry linked to its next step in the admin. It only
reads the press room's models (`queries`); every step is taken on the admin's pages, which ask
the article itself (`press.workflow`). It imports nothing but `press`.
"""
