// SPDX-License-Identifier: GPL-2.0
/*
 * A deliberately faulty module: it WARNs when loaded.  Used only by the
 * test harness's own test (tools/check.sh), which boots a VM, loads this
 * module and expects tools/vm/run to report the kernel splat as a
 * failure.  Never loaded anywhere else.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init ngre_splat_init(void)
{
	WARN(1, "ngre_splat: deliberate warning for the harness test\n");
	return 0;
}

static void __exit ngre_splat_exit(void)
{
}

module_init(ngre_splat_init);
module_exit(ngre_splat_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ngre test harness: a module that splats on load");
