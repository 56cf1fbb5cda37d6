// ImportJob: the out-of-line destructor anchors the class's vtable here.
#include "ImportJob.h"

namespace halospot::engine {

ImportJob::~ImportJob() = default;

} // namespace halospot::engine
