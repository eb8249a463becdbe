#include <catch2/catch.hpp>

#include "nsmon/catalog/catalog.hpp"

using namespace nsmon;

TEST_CASE("embedded catalog loads") {
  const auto& cat = catalog::embedded();
  CHECK(cat.find("training_loss"));
}
