// What a continuation reference in a search means for the connector. Active Directory refers a
// subtree search of a domain to the partitions below it (DomainDnsZones, ForestDnsZones): those
// are naming contexts of their own, read only when configured as partitions, so such references
// are expected and ignored, as are references to containers out of scope. Any other reference
// means that part of the scope lives on another server: the connector does not follow referrals
// (that would send the bind credentials elsewhere) and must not pretend it read everything, so
// the step stops with PRECONDITION and a message naming the container and the URL.
#pragma once

#include <string>
#include <vector>

namespace idsync::ldap {

class Scope;

// Throws sdk::Error PRECONDITION for a reference into the scope that is not a naming context.
void check_reference(const std::vector<std::string>& urls,
                     const std::vector<std::string>& naming_contexts, const Scope& scope);

}  // namespace idsync::ldap
