"""An HR file as the source of an export test or benchmark: the file connector "HR" reading a
CSV of people, the inbound rule that projects each person into the metaverse, and the inbound
Join rule that links the target system's objects back to the people they were made from.

    sys.path.insert(0, "<source>/tests/integration/support")
    from hr_source import add_hr_connector, hr_inbound_rule, join_back_rule, write_rows
"""
import csv


def add_hr_connector(ws, path, **config):
    """The file connector "HR" on the CSV at `path` (people, anchored on employeeId)."""
    settings = {"path": path, "format": "csv", "anchor_column": "employeeId",
                "object_type": "person"}
    settings.update(config)
    ws.connector("HR", "file", settings)


def hr_inbound_rule(columns):
    """Projects every person, each of `columns` flowing directly; joins on employeeId first."""
    return {"name": "In from HR", "direction": "inbound", "connector": "HR",
            "cs_object_type": "person", "mv_object_type": "person", "link_type": "Provision",
            "precedence": 100,
            "join": [[{"cs_attribute": "employeeId", "mv_attribute": "employeeId",
                       "case_sensitive": True}]],
            "transformations": [{"flow": "direct", "target": c, "source": c} for c in columns]}


def join_back_rule(name, connector, cs_object_type, cs_attribute):
    """Joins the connector's objects whose `cs_attribute` holds a person's employeeId, and flows
    nothing: what a confirming import of provisioned objects needs."""
    return {"name": name, "direction": "inbound", "connector": connector,
            "cs_object_type": cs_object_type, "mv_object_type": "person", "link_type": "Join",
            "precedence": 300,
            "join": [[{"cs_attribute": cs_attribute, "mv_attribute": "employeeId",
                       "case_sensitive": True}]],
            "transformations": []}


def write_rows(path, columns, rows):
    """A CSV with a header of `columns`, then `rows`: dicts by column name, or sequences in
    column order (any iterable, so that a benchmark can stream a million)."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        header = csv.writer(f, lineterminator="\n")
        header.writerow(columns)
        by_name = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        for row in rows:
            if isinstance(row, dict):
                by_name.writerow(row)
            else:
                header.writerow(row)
