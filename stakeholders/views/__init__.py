"""Views, one module per area: public pages, workspace, review, reports."""
