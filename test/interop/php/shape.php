<?php
/**
 * The PHP types behind a decoded value, for tests that must see more than JSON shows: "int",
 * "float", "string", "bool", "null"; lists as arrays; maps as objects whose int keys are
 * written "int:N". JSON alone would hide a float 5000.0 where an int was meant, or a string
 * key where PHP holds an int.
 */

declare(strict_types=1);

function shape(mixed $v): mixed
{
    if (!is_array($v)) {
        return get_debug_type($v);
    }
    if (array_is_list($v)) {
        return array_map('shape', $v);
    }
    $out = [];
    foreach ($v as $k => $item) {
        $out[is_int($k) ? "int:$k" : $k] = shape($item);
    }
    return (object) $out;
}
