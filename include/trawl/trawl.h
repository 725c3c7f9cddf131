/* trawl/trawl.h: umbrella header. SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef TRAWL_H
#define TRAWL_H
#define TRAWL_VERSION "0.1.0"
#include "trawl/status.h"
#include "trawl/detect.h"
#include "trawl/scan.h"
#include "trawl/index.h"
#include "trawl/report.h"
#endif
