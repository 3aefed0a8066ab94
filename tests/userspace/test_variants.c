// SPDX-License-Identifier: GPL-2.0-only
/*
 * The variants file: what parses, the most specific ID winning, every kind
 * of bad token named by file:line with nothing of the file kept, the file's
 * path (option, environment, default), and the type guessed from the class.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "variants.h"

static const char *lookup(const struct variants *vs, uint16_t v, uint16_t d,
			  uint16_t sv, uint16_t sd, uint8_t rev)
{
	const struct variant *var = variants_lookup(vs, v, d, sv, sd, rev);

	return var ? var->name : "(none)";
}

static void bad(const char *text, const char *want)
{
	struct variants vs;
	char err[512] = "";
	int ret = variants_parse(&vs, "v.conf", text, strlen(text), err, sizeof(err));

	ok(ret == -EINVAL, "refused: %s", want);
	is_str(err, want, "... naming the line and the token");
	ok(vs.n == 0 && vs.nids == 0 && !vs.path, "... and nothing of the file is kept");
	variants_free(&vs);
}

static void test_parse(void)
{
	const char *text =
		"# GPUs of rack 7\n"
		"\n"
		"v100 gpu 10de:1db4   10de:1db5:a1  # two ids, one with a revision\n"
		"  v100-audio\tgpu-audio 10de:10f0\r\n"
		"v100.sxm gpu 10de:1db4:10de:1214 10DE:1DB4:10de:1249:a1\n"
		"nvme_fast nvme 144d:a80a\n"
		"x520 nic 8086:10fb\n"
		"edu accel 1234:11e8\n"
		"hba storage 1000:0097\n"
		"xhci usb 1b73:1100\n"
		"misc other 1af4:1052";
	struct variants vs;
	char err[512] = "";
	const struct variant *v;

	ok(variants_parse(&vs, "v.conf", text, strlen(text), err, sizeof(err)) == 0,
	   "a good file parses");
	if (err[0])
		printf("#   err: %s\n", err);
	ok(vs.n == 9 && vs.nids == 11, "9 variants, 11 ids");
	is_str(vs.path, "v.conf", "the path is kept");
	v = variants_find(&vs, "v100-audio");
	ok(v && v->type == VT_GPU_AUDIO && v->line == 4,
	   "tab, CRLF and indentation: v100-audio, gpu-audio, line 4");
	v = variants_find(&vs, "nvme_fast");
	ok(v && v->type == VT_NVME, "'_' in a name");
	ok(variants_find(&vs, "misc") != NULL, "a last line without newline");
	ok(variants_find(&vs, "V100") == NULL, "names are case-sensitive");

	is_str(lookup(&vs, 0x10de, 0x1db4, 0x1234, 0x5678, 0xa1), "v100",
	       "plain vendor:device matches any subsystem and revision");
	is_str(lookup(&vs, 0x10de, 0x1db4, 0x10de, 0x1214, 0x01), "v100.sxm",
	       "a subsystem beats plain");
	is_str(lookup(&vs, 0x10de, 0x1db4, 0x10de, 0x1249, 0xa1), "v100.sxm",
	       "subsystem and revision, upper-case hex in the file");
	is_str(lookup(&vs, 0x10de, 0x1db4, 0x10de, 0x1249, 0xa2), "v100",
	       "... another revision falls back to plain");
	is_str(lookup(&vs, 0x10de, 0x1db5, 0, 0, 0xa1), "v100", "a revision matches");
	is_str(lookup(&vs, 0x10de, 0x1db5, 0, 0, 0xa2), "(none)", "... only its revision");
	is_str(lookup(&vs, 0x8086, 0x1521, 0, 0, 0), "(none)", "an unknown device: none");
	ok(variants_lookup(NULL, 0x10de, 0x1db4, 0, 0, 0) == NULL, "no variants: none");
	variants_free(&vs);

	/* the most specific of four levels, whichever order the file has them */
	text = "a gpu 1234:1111\n"
	       "b gpu 1234:1111:02\n"
	       "c gpu 1234:1111:1af4:1100:02\n"
	       "d gpu 1234:1111:1af4:1100\n";
	ok(variants_parse(&vs, "v.conf", text, strlen(text), err, sizeof(err)) == 0,
	   "four levels of one device");
	is_str(lookup(&vs, 0x1234, 0x1111, 0x1af4, 0x1100, 0x02), "c", "subsystem+revision first");
	is_str(lookup(&vs, 0x1234, 0x1111, 0x1af4, 0x1100, 0x03), "d", "then subsystem");
	is_str(lookup(&vs, 0x1234, 0x1111, 0x1af4, 0x1101, 0x02), "b", "then revision");
	is_str(lookup(&vs, 0x1234, 0x1111, 0x1af4, 0x1101, 0x03), "a", "then plain");
	variants_free(&vs);

	ok(variants_parse(&vs, "v.conf", "", 0, err, sizeof(err)) == 0 && vs.n == 0,
	   "an empty file: no variants");
	variants_free(&vs);
	ok(variants_parse(&vs, "v.conf", "# only\n\n  # comments\n", 21, err, sizeof(err)) == 0 &&
	   vs.n == 0, "only comments: no variants");
	variants_free(&vs);
}

static void test_errors(void)
{
	char big[300];

	bad("ok gpu 10de:1db4\nV100 gpu 10de:1db5\n",
	    "v.conf:2: a variant name is lower-case letters, digits, '.', '_' and '-' (\"V100\")");
	bad("-x gpu 10de:1db4\n",
	    "v.conf:1: a variant name starts with a lower-case letter or a digit (\"-x\")");
	bad("gp\xc3\xbc gpu 10de:1db4\n",
	    "v.conf:1: a variant name is lower-case letters, digits, '.', '_' and '-' (\"gp\\xc3\\xbc\")");
	memset(big, 'a', 65);
	snprintf(big + 65, sizeof(big) - 65, " gpu 10de:1db4\n");
	bad(big, "v.conf:1: variant name longer than 64 bytes (\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\")");
	bad("v gpux 10de:1db4\n",
	    "v.conf:1: unknown type, want one of gpu, gpu-audio, nic, nvme, storage, accel, usb, other (\"gpux\")");
	bad("v GPU 10de:1db4\n",
	    "v.conf:1: unknown type, want one of gpu, gpu-audio, nic, nvme, storage, accel, usb, other (\"GPU\")");
	bad("v\n", "v.conf:1: a variant needs a type and at least one ID (NAME TYPE ID...) (\"v\")");
	bad("\n\nv gpu  # no ids\n",
	    "v.conf:3: a variant needs at least one ID (NAME TYPE ID...) (\"v\")");
	bad("v gpu 10de\n",
	    "v.conf:1: an ID is vendor:device[:subvendor:subdevice][:revision] (\"10de\")");
	bad("v gpu 10de:1db\n",
	    "v.conf:1: vendor, device, subvendor and subdevice are four hex digits each (\"10de:1db\")");
	bad("v gpu 10de:1db4x\n",
	    "v.conf:1: vendor, device, subvendor and subdevice are four hex digits each (\"10de:1db4x\")");
	bad("v gpu 10de:1db4:10de\n",
	    "v.conf:1: a third field is the revision, two hex digits (a subsystem is subvendor:subdevice) (\"10de:1db4:10de\")");
	bad("v gpu 10de:1db4:10de:12g4\n",
	    "v.conf:1: vendor, device, subvendor and subdevice are four hex digits each (\"10de:1db4:10de:12g4\")");
	bad("v gpu 10de:1db4:10de:1214:a\n",
	    "v.conf:1: the revision is two hex digits (\"10de:1db4:10de:1214:a\")");
	bad("v gpu 10de:1db4:10de:1214:a1:00\n",
	    "v.conf:1: an ID has at most five fields (vendor:device:subvendor:subdevice:revision) (\"10de:1db4:10de:1214:a1:00\")");
	bad("v gpu 10de::1214\n", "v.conf:1: an ID has an empty field (\"10de::1214\")");
	bad("v gpu 10de:1db4:\n", "v.conf:1: an ID has an empty field (\"10de:1db4:\")");
	bad("v gpu 0x10:1db4\n",
	    "v.conf:1: vendor, device, subvendor and subdevice are four hex digits each (\"0x10:1db4\")");
	bad("a gpu 10de:1db4\nb nic 8086:10fb\na nic 8086:10fc\n",
	    "v.conf:3: variant already defined on line 1 (\"a\")");
	bad("a gpu 10de:1db4\nb gpu 10DE:1DB4\n",
	    "v.conf:2: ID already listed for variant a on line 1 (\"10DE:1DB4\")");
	bad("a gpu 10de:1db4 10de:1db5:a1 10de:1db5:a1\n",
	    "v.conf:1: ID listed twice for a (\"10de:1db5:a1\")");
	bad("a gpu 10de:1db4\x01\n",
	    "v.conf:1: vendor, device, subvendor and subdevice are four hex digits each (\"10de:1db4\\x01\")");
	bad("a gpu 10de:\"1db4\n",
	    "v.conf:1: vendor, device, subvendor and subdevice are four hex digits each (\"10de:\\\"1db4\")");

	{
		struct variants vs;
		char err[256] = "";

		ok(variants_parse(&vs, "v.conf", "a gpu 10de:1db4\n\0b", 18, err, sizeof(err)) == -EINVAL,
		   "a NUL byte: refused");
		is_str(err, "v.conf: not a text file (it contains NUL bytes)", "... saying so");
		variants_free(&vs);
	}
}

static void test_load(void)
{
	char dir[] = "/tmp/ppt-variants-XXXXXX", path[128], err[512] = "";
	struct variants vs;
	bool explicit;
	FILE *f;

	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/none.conf", dir);
	ok(variants_load(&vs, path, false, err, sizeof(err)) == 0 && vs.n == 0,
	   "the default file missing: no variants, no error");
	variants_free(&vs);
	ok(variants_load(&vs, path, true, err, sizeof(err)) == -ENOENT,
	   "a file named by the user missing: ENOENT");
	ok(strstr(err, "none.conf: No such file or directory") != NULL, "... naming it");
	ok(variants_load(&vs, dir, true, err, sizeof(err)) == -EINVAL &&
	   strstr(err, ": not a regular file"), "a directory is refused");

	snprintf(path, sizeof(path), "%s/v.conf", dir);
	f = fopen(path, "w");
	fputs("edu accel 1234:11e8\nbad\n", f);
	fclose(f);
	ok(variants_load(&vs, path, false, err, sizeof(err)) == -EINVAL, "a bad file is refused");
	ok(strstr(err, "/v.conf:2: a variant needs a type") != NULL, "... FILE:LINE");
	ok(vs.n == 0, "... nothing of it kept");
	f = fopen(path, "w");
	fputs("edu accel 1234:11e8\n", f);
	fclose(f);
	ok(variants_load(&vs, path, true, err, sizeof(err)) == 0 && vs.n == 1, "a good file loads");
	variants_free(&vs);
	unlink(path);
	rmdir(dir);

	unsetenv(VARIANTS_ENV);
	is_str(variants_path(NULL, &explicit), VARIANTS_DEFAULT_PATH, "default path");
	ok(!explicit, "... not the user's");
	setenv(VARIANTS_ENV, "/env.conf", 1);
	is_str(variants_path(NULL, &explicit), "/env.conf", "$PPT_VARIANTS");
	ok(explicit, "... the user's");
	is_str(variants_path("/opt.conf", &explicit), "/opt.conf", "--variants beats $PPT_VARIANTS");
	setenv(VARIANTS_ENV, "", 1);
	is_str(variants_path(NULL, &explicit), VARIANTS_DEFAULT_PATH, "an empty $PPT_VARIANTS: default");
	unsetenv(VARIANTS_ENV);
}

static struct out_device dev(const char *addr, uint32_t class, uint16_t vendor,
			     uint16_t device)
{
	struct out_device d = { 0 };

	snprintf(d.info.addr, sizeof(d.info.addr), "%s", addr);
	d.info.pci_class = class;
	d.info.vendor = vendor;
	d.info.device = device;
	return d;
}

static void test_types(void)
{
	struct out_device d[6];
	struct variants vs;
	const char *text = "vga gpu 1234:1111\n";
	const char *why;
	char err[256];

	ok(variant_type_guess(0x030000, 0x1234, false) == VT_GPU, "0300 VGA: gpu");
	ok(variant_type_guess(0x030200, 0x10de, false) == VT_GPU, "0302 3D: gpu");
	ok(variant_type_guess(0x040300, 0x8086, false) == VT_OTHER,
	   "0403 HD audio alone, Intel: other (a chipset's)");
	ok(variant_type_guess(0x040300, 0x8086, true) == VT_GPU_AUDIO,
	   "0403 beside a display controller: gpu-audio");
	ok(variant_type_guess(0x040300, 0x10de, false) == VT_GPU_AUDIO, "0403 NVIDIA: gpu-audio");
	ok(variant_type_guess(0x040300, 0x1002, false) == VT_GPU_AUDIO, "0403 AMD/ATI: gpu-audio");
	ok(variant_type_guess(0x040100, 0x10de, true) == VT_OTHER, "0401 audio device: other");
	ok(variant_type_guess(0x020000, 0x8086, false) == VT_NIC, "0200 Ethernet: nic");
	ok(variant_type_guess(0x028000, 0x8086, false) == VT_NIC, "0280 network: nic");
	ok(variant_type_guess(0x010802, 0x144d, false) == VT_NVME, "010802 NVMe: nvme");
	ok(variant_type_guess(0x010601, 0x8086, false) == VT_STORAGE, "0106 SATA: storage");
	ok(variant_type_guess(0x0c0330, 0x8086, false) == VT_USB, "0c03 xHCI: usb");
	ok(variant_type_guess(0x0c0500, 0x8086, false) == VT_OTHER, "0c05 SMBus: other");
	ok(variant_type_guess(0x120000, 0x1234, false) == VT_ACCEL, "12 accelerator: accel");
	ok(variant_type_guess(0x0b4000, 0x1234, false) == VT_ACCEL, "0b40 co-processor: accel");
	ok(variant_type_guess(0x00ff00, 0x1234, false) == VT_OTHER, "unclassified: other");
	ok(variant_type_guess(0x060400, 0x8086, false) == VT_OTHER, "a bridge: other");

	is_str(variant_type_name(VT_GPU_AUDIO), "gpu-audio", "type names");
	ok(variant_type_parse("storage") == VT_STORAGE && variant_type_parse("disk") == -1,
	   "type parse");
	ok(variant_name_ok("a", &why) && variant_name_ok("0.x_y-z", &why), "good names");
	ok(!variant_name_ok("", &why) && !strcmp(why, "empty variant name"), "empty name");

	d[0] = dev("0000:03:00.0", 0x030000, 0x1234, 0x1111);
	d[1] = dev("0000:03:00.1", 0x040300, 0x8086, 0x293e);
	d[2] = dev("0000:00:1f.3", 0x040300, 0x8086, 0xa348);
	d[3] = dev("0000:13:00.1", 0x040300, 0x8086, 0x293e);	/* no display beside */
	d[4] = dev("0000:04:00.0", 0x010802, 0x1b36, 0x0010);
	d[5] = dev("0000:00:1f.0", 0x060100, 0x8086, 0xa30e);
	ok(variants_parse(&vs, "v.conf", text, strlen(text), err, sizeof(err)) == 0, "labels: a file");
	variants_label(&vs, d, 6, d, 6);
	ok(!strcmp(d[0].variant, "vga") && !strcmp(d[0].type, "gpu"), "the variant's name and type");
	ok(!d[1].variant[0] && !strcmp(d[1].type, "gpu-audio"),
	   "no variant: the guess, gpu-audio beside the display controller");
	is_str(d[2].type, "other", "chipset audio: other");
	is_str(d[3].type, "other", "audio in another slot than the display: other");
	is_str(d[4].type, "nvme", "NVMe");
	is_str(d[5].type, "other", "ISA bridge");
	variants_label(NULL, d, 1, NULL, 0);
	ok(!d[0].variant[0] && !strcmp(d[0].type, "gpu"), "without variants: guesses only");
	variants_free(&vs);
}

int main(void)
{
	test_parse();
	test_errors();
	test_load();
	test_types();
	return tap_done();
}
