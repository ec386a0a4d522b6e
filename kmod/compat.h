/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences between the kernels ngre supports (Debian 12's
 * 6.1 and 6.12).  Every version test in ngre lives in this file; the rest
 * of the code is written against the newest API and uses the helpers here.
 */
#ifndef _NGRE_COMPAT_H
#define _NGRE_COMPAT_H

#include <linux/version.h>

#endif /* _NGRE_COMPAT_H */
