// The merge rules of pending exports (store/export_merge.hpp), one rule per case.
#include "store/export_merge.hpp"

#include <catch2/catch.hpp>

using namespace idsync::store;

namespace {

using Values = std::vector<std::string>;

AttributeDelta d(std::string name, ValueOp op, Values values) {
  return {std::move(name), IDSYNC_VALUE_STRING, op, std::move(values)};
}

PendingExport pe(ExportKind kind, std::vector<AttributeDelta> deltas = {}, int64_t when = 0) {
  PendingExport p;
  p.kind = kind;
  p.object_type = "user";
  p.dn = "cn=u,dc=x";
  p.attributes = std::move(deltas);
  p.created_unix_ms = when;
  p.updated_unix_ms = when;
  return p;
}

PendingExport update(std::vector<AttributeDelta> deltas, int64_t when = 0) {
  return pe(ExportKind::update, std::move(deltas), when);
}

std::vector<AttributeDelta> deltas_of(const std::optional<PendingExport>& p) {
  REQUIRE(p);
  return p->attributes;
}

}  // namespace

TEST_CASE("export merge: with nothing pending the incoming export is taken, canonicalised") {
  auto r = merge_pending_export(std::nullopt, update({d("title", ValueOp::replace, {"A"}),
                                                      d("member", ValueOp::add, {"x", "x", "y"})}));
  REQUIRE(r);
  CHECK(r->kind == ExportKind::update);
  // Sorted by name; duplicate values dropped.
  CHECK(r->attributes == std::vector<AttributeDelta>{d("member", ValueOp::add, {"x", "y"}),
                                                     d("title", ValueOp::replace, {"A"})});
  CHECK(merge_pending_export(std::nullopt, pe(ExportKind::remove))->kind == ExportKind::remove);
  // An update with nothing in it is no pending export at all.
  CHECK_FALSE(merge_pending_export(std::nullopt, update({})));
}

TEST_CASE("export merge: a new add is canonicalised unless it already is") {
  // Out of order, a duplicate value, a name twice in two cases, an empty attribute, an add op.
  auto r = merge_pending_export(
      std::nullopt,
      pe(ExportKind::add, {d("sn", ValueOp::replace, {"B"}), d("cn", ValueOp::replace, {"A", "A"}),
                           d("CN", ValueOp::add, {"C"}), d("mail", ValueOp::replace, {}),
                           d("ou", ValueOp::add, {"x"})}));
  REQUIRE(r);
  CHECK(r->attributes == std::vector<AttributeDelta>{d("cn", ValueOp::replace, {"A", "C"}),
                                                     d("ou", ValueOp::replace, {"x"}),
                                                     d("sn", ValueOp::replace, {"B"})});
  // As provisioning builds it: taken as it is.
  const std::vector<AttributeDelta> canonical = {
      d("cn", ValueOp::replace, {"A", "C"}), d("objectClass", ValueOp::replace, {"top", "person"}),
      d("sn", ValueOp::replace, {"B"})};
  r = merge_pending_export(std::nullopt, pe(ExportKind::add, canonical));
  REQUIRE(r);
  CHECK(r->kind == ExportKind::add);
  CHECK(r->attributes == canonical);
}

TEST_CASE("export merge: a first pending add is what merging it into nothing gives") {
  const PendingExport messy =
      pe(ExportKind::add,
         {d("sn", ValueOp::replace, {"B"}), d("cn", ValueOp::replace, {"A", "A"}),
          d("CN", ValueOp::add, {"C"}), d("mail", ValueOp::replace, {})},
         7);
  const PendingExport canonical =
      pe(ExportKind::add,
         {d("cn", ValueOp::replace, {"A"}), d("objectClass", ValueOp::replace, {"top", "person"})});
  PendingExport delete_add = messy;
  delete_add.kind = ExportKind::remove_add;
  delete_add.new_dn = "cn=v,dc=x";
  for (const PendingExport& add : {messy, canonical, delete_add}) {
    const PendingExport first = first_pending_add(add);
    CHECK(first == *merge_pending_export(std::nullopt, add));
    CHECK(first.kind == add.kind);
    CHECK(first.new_dn.empty());
  }
}

TEST_CASE("export merge: add X then remove X cancels, and so does remove X then add X") {
  auto r = merge_pending_export(update({d("member", ValueOp::add, {"x"})}),
                                update({d("member", ValueOp::remove, {"x"})}));
  CHECK_FALSE(r);  // nothing left to export at all
  r = merge_pending_export(update({d("member", ValueOp::remove, {"x"})}),
                           update({d("member", ValueOp::add, {"x"})}));
  CHECK_FALSE(r);
}

TEST_CASE("export merge: partial cancellation keeps the rest of each side") {
  auto r = merge_pending_export(
      update({d("member", ValueOp::add, {"a", "b"}), d("member", ValueOp::remove, {"c"})}),
      update({d("member", ValueOp::remove, {"b", "d"}), d("member", ValueOp::add, {"c", "e"})}));
  CHECK(deltas_of(r) == std::vector<AttributeDelta>{d("member", ValueOp::add, {"a", "e"}),
                                                    d("member", ValueOp::remove, {"d"})});
}

TEST_CASE("export merge: adding a value already pending adds it once") {
  auto r = merge_pending_export(update({d("member", ValueOp::add, {"a"})}),
                                update({d("member", ValueOp::add, {"a", "b"})}));
  CHECK(deltas_of(r) == std::vector<AttributeDelta>{d("member", ValueOp::add, {"a", "b"})});
}

TEST_CASE("export merge: replace overrides earlier adds and removes") {
  auto r = merge_pending_export(
      update({d("member", ValueOp::add, {"a"}), d("member", ValueOp::remove, {"b"}),
              d("title", ValueOp::replace, {"Old"})}),
      update({d("member", ValueOp::replace, {"c"})}));
  CHECK(deltas_of(r) == std::vector<AttributeDelta>{d("member", ValueOp::replace, {"c"}),
                                                    d("title", ValueOp::replace, {"Old"})});
}

TEST_CASE("export merge: adds and removes after a replace edit the replaced values") {
  auto r = merge_pending_export(
      update({d("member", ValueOp::replace, {"a", "b"})}),
      update({d("member", ValueOp::add, {"c", "a"}), d("member", ValueOp::remove, {"b"})}));
  CHECK(deltas_of(r) == std::vector<AttributeDelta>{d("member", ValueOp::replace, {"a", "c"})});
  // A replace emptied by removes stays: it clears the attribute.
  r = merge_pending_export(update({d("title", ValueOp::replace, {"A"})}),
                           update({d("title", ValueOp::remove, {"A"})}));
  CHECK(deltas_of(r) == std::vector<AttributeDelta>{d("title", ValueOp::replace, {})});
}

TEST_CASE("export merge: attribute names match case-insensitively, other attributes are kept") {
  auto r = merge_pending_export(
      update({d("Member", ValueOp::add, {"a"}), d("title", ValueOp::replace, {"T"})}),
      update({d("member", ValueOp::remove, {"a"})}));
  CHECK(deltas_of(r) == std::vector<AttributeDelta>{d("title", ValueOp::replace, {"T"})});
}

TEST_CASE("export merge: values compare exactly") {
  auto r = merge_pending_export(update({d("member", ValueOp::add, {"CN=A"})}),
                                update({d("member", ValueOp::remove, {"cn=a"})}));
  CHECK(deltas_of(r) == std::vector<AttributeDelta>{d("member", ValueOp::add, {"CN=A"}),
                                                    d("member", ValueOp::remove, {"cn=a"})});
}

TEST_CASE("export merge: an update on a pending add folds into the add") {
  PendingExport add = pe(ExportKind::add, {d("mail", ValueOp::replace, {"u@x"}),
                                           d("member", ValueOp::replace, {"a", "b"}),
                                           d("title", ValueOp::replace, {"T"})});
  PendingExport u = update({d("member", ValueOp::add, {"c"}), d("member", ValueOp::remove, {"a"}),
                            d("title", ValueOp::remove, {"T"}),
                            d("mail", ValueOp::replace, {"v@x"}), d("phone", ValueOp::add, {"1"})});
  u.new_dn = "cn=renamed,dc=x";
  auto r = merge_pending_export(add, u);
  REQUIRE(r);
  CHECK(r->kind == ExportKind::add);
  // title lost its only value, so the add does not carry it at all.
  CHECK(r->attributes == std::vector<AttributeDelta>{d("mail", ValueOp::replace, {"v@x"}),
                                                     d("member", ValueOp::replace, {"b", "c"}),
                                                     d("phone", ValueOp::replace, {"1"})});
  // The object is created under its final name: no rename left pending.
  CHECK(r->dn == "cn=renamed,dc=x");
  CHECK(r->new_dn.empty());
}

TEST_CASE("export merge: a delete cancels a pending add the target never saw") {
  CHECK_FALSE(merge_pending_export(pe(ExportKind::add, {d("mail", ValueOp::replace, {"x"})}),
                                   pe(ExportKind::remove)));
  // An attempted add may have created the object: then the delete must go out.
  PendingExport tried = pe(ExportKind::add, {d("mail", ValueOp::replace, {"x"})});
  tried.attempts = 1;
  tried.last_error = ExportError{1, 2, "timeout", 5};
  auto r = merge_pending_export(tried, pe(ExportKind::remove));
  REQUIRE(r);
  CHECK(r->kind == ExportKind::remove);
  CHECK(r->attributes.empty());
  CHECK(r->attempts == 1);
}

TEST_CASE("export merge: a delete supersedes a pending update and its rename") {
  PendingExport u = update({d("title", ValueOp::replace, {"T"})}, 10);
  u.new_dn = "cn=v,dc=x";
  auto r = merge_pending_export(u, pe(ExportKind::remove, {}, 20));
  REQUIRE(r);
  CHECK(r->kind == ExportKind::remove);
  CHECK(r->attributes.empty());
  CHECK(r->new_dn.empty());
  CHECK(r->dn == "cn=u,dc=x");
  CHECK(r->created_unix_ms == 10);
  CHECK(r->updated_unix_ms == 20);
}

TEST_CASE("export merge: updates after a delete are dropped, a delete stays a delete") {
  const PendingExport del = pe(ExportKind::remove);
  CHECK(merge_pending_export(del, update({d("title", ValueOp::replace, {"T"})})) == del);
  CHECK(merge_pending_export(del, pe(ExportKind::remove)) == del);
}

TEST_CASE("export merge: an add after a delete is a delete-add, which then behaves as an add") {
  auto r = merge_pending_export(pe(ExportKind::remove),
                                pe(ExportKind::add, {d("mail", ValueOp::replace, {"x"})}));
  REQUIRE(r);
  CHECK(r->kind == ExportKind::remove_add);
  CHECK(r->attributes == std::vector<AttributeDelta>{d("mail", ValueOp::replace, {"x"})});
  auto folded = merge_pending_export(r, update({d("mail", ValueOp::add, {"y"})}));
  REQUIRE(folded);
  CHECK(folded->kind == ExportKind::remove_add);
  CHECK(folded->attributes == std::vector<AttributeDelta>{d("mail", ValueOp::replace, {"x", "y"})});
  auto deleted = merge_pending_export(r, pe(ExportKind::remove));
  REQUIRE(deleted);
  CHECK(deleted->kind == ExportKind::remove);
}

TEST_CASE("export merge: an add replaces a pending update or add with its own values") {
  auto r = merge_pending_export(update({d("title", ValueOp::replace, {"T"})}),
                                pe(ExportKind::add, {d("mail", ValueOp::replace, {"x"})}));
  REQUIRE(r);
  CHECK(r->kind == ExportKind::add);
  CHECK(r->attributes == std::vector<AttributeDelta>{d("mail", ValueOp::replace, {"x"})});
  r = merge_pending_export(pe(ExportKind::add, {d("title", ValueOp::replace, {"T"})}),
                           pe(ExportKind::add, {d("mail", ValueOp::replace, {"x"})}));
  REQUIRE(r);
  CHECK(r->attributes == std::vector<AttributeDelta>{d("mail", ValueOp::replace, {"x"})});
}

TEST_CASE("export merge: renames keep the last target, renaming back cancels") {
  PendingExport first = update({});
  first.new_dn = "cn=v,dc=x";
  PendingExport second = update({});
  second.new_dn = "cn=w,dc=x";
  auto r = merge_pending_export(first, second);
  REQUIRE(r);
  CHECK(r->new_dn == "cn=w,dc=x");
  PendingExport back = update({});
  back.new_dn = "cn=u,dc=x";
  CHECK_FALSE(merge_pending_export(first, back));
  // Renaming back with attribute changes pending keeps the changes, without a rename.
  PendingExport with_change = first;
  with_change.attributes = {d("title", ValueOp::replace, {"T"})};
  r = merge_pending_export(with_change, back);
  REQUIRE(r);
  CHECK(r->new_dn.empty());
  CHECK(r->attributes.size() == 1);
}

TEST_CASE("export merge: created, attempts and the last error stay, updated moves on") {
  PendingExport e = update({d("title", ValueOp::replace, {"T"})}, 100);
  e.attempts = 2;
  e.last_error = ExportError{1, 3, "busy", 150};
  auto r = merge_pending_export(e, update({d("mail", ValueOp::add, {"x"})}, 200));
  REQUIRE(r);
  CHECK(r->created_unix_ms == 100);
  CHECK(r->updated_unix_ms == 200);
  CHECK(r->attempts == 2);
  CHECK(r->last_error == e.last_error);
}

TEST_CASE("export merge: a large membership change stays linear") {
  // 100,000 members added, then half of them removed: must finish quickly (hash sets), and
  // keep the order the values were added in.
  Values added, removed;
  for (int i = 0; i < 100000; ++i) added.push_back("m" + std::to_string(i));
  for (int i = 0; i < 100000; i += 2) removed.push_back("m" + std::to_string(i));
  auto r = merge_pending_export(update({d("member", ValueOp::add, added)}),
                                update({d("member", ValueOp::remove, removed)}));
  const auto deltas = deltas_of(r);
  REQUIRE(deltas.size() == 1);
  CHECK(deltas[0].op == ValueOp::add);
  REQUIRE(deltas[0].values.size() == 50000);
  CHECK(deltas[0].values.front() == "m1");
  CHECK(deltas[0].values.back() == "m99999");
}
