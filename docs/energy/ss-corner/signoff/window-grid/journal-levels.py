#!/usr/bin/env python3
"""Per-die sum lines of an `mbi sweep` point, read from its die journal (--out/journals/*.journal).

Decodes the journal written by src/Circuit/MonteCarlo/DieJournal.cs (hex doubles: the nominal die's settled SLP/SLN and
each die's) in the staircase order of src/Circuit/MonteCarlo/Staircase.cs (1-bit levels 0..C, one unreported settling
cycle, 2-bit levels 0..3C/2), and prints, per mode and die, V_SLP + V_SLN minus the nominal die's at every level, the
die's smallest step and the codes through the nominal ADC (top = nominal level-0 sum, LSB = mean nominal step, mid-tread
rounding, as SumLineAdc.Convert without mismatch). Its error counts must equal the sweep's
code_errors_without_adc_mismatch; the per-die ADC mismatch is not reproduced here.

usage: journal-levels.py JOURNAL [--columns 32]
"""
import struct
import sys


def doubles(field):
    return [struct.unpack('<d', struct.pack('<q', int(h, 16) - (1 << 64) if int(h, 16) >= 1 << 63 else int(h, 16)))[0]
            for h in field.split(',')] if field else []


def main():
    path = sys.argv[1]
    columns = int(sys.argv[sys.argv.index('--columns') + 1]) if '--columns' in sys.argv else 32
    nominal, dies = None, {}
    with open(path, encoding='utf-8') as f:
        header = f.readline()
        if not header.startswith('MBI-MC-JOURNAL 1 '):
            sys.exit(f'journal-levels: error: {path} is not a Mbi Monte Carlo journal')
        for line in f:
            fields = line.rstrip('\n').split('\t')[:-1]  # last field: the line's FNV-1a check (not verified here)
            if fields and fields[0] == 'nominal':
                nominal = (doubles(fields[4]), doubles(fields[5]))
            elif len(fields) == 4 and fields[1] == 'ok':
                dies[int(fields[0])] = (doubles(fields[2]), doubles(fields[3]))
            elif len(fields) >= 2 and fields[1] == 'failed':
                print(f'die {fields[0]}: failed')
    if nominal is None:
        sys.exit(f'journal-levels: error: {path} holds no nominal die yet; run the sweep first')
    modes = {1: (0, columns + 1), 2: (columns + 2, 3 * (columns // 2) + 1)}
    total = lambda v, i: v[0][i] + v[1][i]
    print(f'{path}: nominal + {len(dies)} dies')
    for mode, (first, levels) in modes.items():
        nom = [total(nominal, first + l) for l in range(levels)]
        lsb = (nom[0] - nom[-1]) / (levels - 1)
        code = lambda v: min(31, max(0, int((nom[0] - v) / lsb + 0.5)))  # x >= 0 here except above the top; AwayFromZero
        nom_codes = [code(v) for v in nom]
        # where each unsaturated nominal level sits in its code, in LSB (0: the centre; +-0.5: a decision threshold)
        off_centre = [(nom[0] - v) / lsb - c for v, c in zip(nom, nom_codes) if (nom[0] - v) / lsb < 31.5]
        print(f'\n{mode}-bit: LSB {lsb*1e3:.3f} mV, nominal step min {min(nom[l]-nom[l+1] for l in range(levels-1))*1e3:.2f} mV; '
              f'unsaturated nominal levels ({len(off_centre)}) off their code centre, LSB: '
              + ' '.join(f'{x:+.2f}' for x in off_centre))
        errors = trimmed = 0
        for die, v in sorted(dies.items()):
            s = [total(v, first + l) for l in range(levels)]
            dev = [(a - b) * 1e3 for a, b in zip(s, nom)]
            steps = [s[l] - s[l + 1] for l in range(levels - 1)]
            wrong = [l for l in range(levels) if code(s[l]) != nom_codes[l]]
            errors += len(wrong)
            # diagnostic only: the same die with its level-0 offset removed (as if each die's ADC were trimmed at level 0)
            trimmed += sum(code(s[l] - (s[0] - nom[0])) != nom_codes[l] for l in range(levels))
            lo = min(range(levels - 1), key=lambda l: steps[l])
            worst = max(range(levels), key=lambda l: abs(dev[l]))
            print(f'  die {die}: V-Vnom at level 0 {dev[0]:+.2f} mV, mean {sum(dev)/levels:+.2f} mV, range {min(dev):+.2f}..{max(dev):+.2f} mV '
                  f'(largest at level {worst}: {dev[worst]:+.2f} mV = {dev[worst]/(lsb*1e3):+.2f} LSB); '
                  f'smallest step {steps[lo]*1e3:.2f} mV (level {lo} to {lo + 1}); code errors {len(wrong)}'
                  + (f' at levels {wrong}' if wrong else ''))
        print(f'  {mode}-bit code errors through the nominal ADC: {errors} of {levels * len(dies)}; '
              f'diagnostic, each die shifted by its own level-0 offset first: {trimmed}')


if __name__ == '__main__':
    main()
