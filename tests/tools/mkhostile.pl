#!/usr/bin/perl
# mkhostile.pl KIND [ARGS] > OUT: hostile input for the tests, made on the
# spot (never stored).  Messages take the real PO to hide as PO.pdf.
#
#   forward N PO.pdf       a PO forwarded N times (message/rfc822 in multipart)
#   nest N PO.pdf          the PO at the bottom of N nested multiparts
#   text N PO.pdf          N text parts, then the PO
#   fake N PO.pdf          N parts declared PDF that are text, then the PO
#   parts N                N short text parts, nothing else
#   headers MB PO.pdf      MB megabytes of header lines, then the PO
#   subject MB PO.pdf      a Subject of MB megabytes, then the PO
#   latin1 PO.pdf          raw Windows-1252 bytes in Subject and From
#   names PO.pdf           file names and a subject with ESC, BEL, CR LF, U+202E
#   scans N SCAN.pdf...    one message, N attachments cycling over the scans
#   forms LEVELS [LINES]   a PDF whose forms draw forms twice: 2^LEVELS draws
use strict;
use warnings;
use MIME::Base64;

binmode STDOUT;
my $kind = shift or die "usage: mkhostile.pl KIND ...\n";

sub slurp {
	my ($f) = @_;
	open(my $fh, '<:raw', $f) or die "$f: $!\n";
	local $/;
	return <$fh>;
}

sub b64 {
	my $b = encode_base64($_[0]);
	$b =~ s/\n/\r\n/g;
	return $b;
}

sub head {
	my ($id, $ctype, %h) = @_;
	my $from = $h{from} // 'commandes@epicerie-du-marche.fr';
	my $subject = $h{subject} // "test $kind";
	return "From: $from\r\nTo: commandes\@sweetiebio.fr\r\nSubject: $subject\r\n"
	     . "Message-ID: <$id>\r\nDate: Fri, 20 Nov 2026 10:00:00 +0100\r\n"
	     . "MIME-Version: 1.0\r\nContent-Type: $ctype\r\n\r\n";
}

sub pdf_part {
	my ($b, $file, $name) = @_;
	$name //= 'PO.pdf';
	return "--$b\r\nContent-Type: application/pdf; name=\"$name\"\r\n"
	     . "Content-Disposition: attachment; filename=\"$name\"\r\n"
	     . "Content-Transfer-Encoding: base64\r\n\r\n" . b64(slurp($file));
}

if ($kind eq 'forward') {
	my ($n, $po) = @ARGV;
	my $msg = head("fwd0.$n\@hostile", 'multipart/mixed; boundary="B"')
		. "--B\r\nContent-Type: text/plain\r\n\r\nVoici notre commande.\r\n" . pdf_part('B', $po) . "--B--\r\n";
	for my $i (1 .. $n) {
		$msg = head("fwd$i.$n\@hostile", "multipart/mixed; boundary=\"F$i\"", from => "relais$i\@sweetiebio.fr")
			. "--F$i\r\nContent-Type: text/plain\r\n\r\nTR\r\n"
			. "--F$i\r\nContent-Type: message/rfc822\r\n\r\n$msg--F$i--\r\n";
	}
	print $msg;
} elsif ($kind eq 'nest') {
	my ($n, $po) = @ARGV;
	my $open = '';
	my $close = '';
	for my $i (1 .. $n) {
		$open .= ($i > 1 ? "Content-Type: multipart/mixed; boundary=\"N$i\"\r\n\r\n" : '') . "--N$i\r\n";
		$close = "--N$i--\r\n$close";
	}
	print head("nest$n\@hostile", 'multipart/mixed; boundary="N1"'), $open,
		"Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n", pdf_part('B', $po), "--B--\r\n", $close;
} elsif ($kind eq 'text' || $kind eq 'fake') {
	my ($n, $po) = @ARGV;
	print head("$kind$n\@hostile", 'multipart/mixed; boundary="B"');
	for my $i (1 .. $n) {
		print $kind eq 'text'
			? "--B\r\nContent-Type: text/plain\r\n\r\npartie $i\r\n"
			: "--B\r\nContent-Type: application/pdf; name=\"faux$i.pdf\"\r\n"
			  . "Content-Disposition: attachment; filename=\"faux$i.pdf\"\r\n\r\npas un PDF $i\r\n";
	}
	print pdf_part('B', $po), "--B--\r\n";
} elsif ($kind eq 'parts') {
	my ($n) = @ARGV;
	print head("parts$n\@hostile", 'multipart/mixed; boundary="B"');
	print "--B\r\nContent-Type: text/plain\r\n\r\npartie $_\r\n" for 1 .. $n;
	print "--B--\r\n";
} elsif ($kind eq 'headers' || $kind eq 'subject') {
	my ($mb, $po) = @ARGV;
	my $big = $mb * 1024 * 1024;
	if ($kind eq 'subject') {
		print "From: commandes\@epicerie-du-marche.fr\r\nSubject: ", 'S' x $big, "\r\n";
	} else {
		print "From: commandes\@epicerie-du-marche.fr\r\nSubject: en-tetes\r\n";
		my $line = 'X-Junk: ' . ('a' x 90) . "\r\n";
		print $line x int($big / length $line);
	}
	print "Message-ID: <$kind$mb\@hostile>\r\nMIME-Version: 1.0\r\n",
		"Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n", pdf_part('B', $po), "--B--\r\n";
} elsif ($kind eq 'latin1') {
	my ($po) = @ARGV;
	print "From: Andr\xe9 Cr\xe9mieux <commandes\@epicerie-du-marche.fr>\r\n",
		"Subject: Commande caf\xe9 cr\xe8me\r\nMessage-ID: <latin1\@hostile>\r\n",
		"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n",
		pdf_part('B', $po), "--B--\r\n";
} elsif ($kind eq 'names') {
	my ($po) = @ARGV;
	# RFC 2231 names carrying ESC [2J, BEL, CR LF and U+202E (RLO)
	print "From: commandes\@epicerie-du-marche.fr\r\n",
		"Subject: =?utf-8?q?Commande_=1B[31mrouge=07_=E2=80=AEfdp.exe?=\r\n",
		"Message-ID: <names\@hostile>\r\nMIME-Version: 1.0\r\n",
		"Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n",
		"--B\r\nContent-Type: application/pdf\r\n",
		"Content-Disposition: attachment; filename*=utf-8''facture%E2%80%AEfdp.exe%0D%0Amailorder%3A%20error%3A%20faux%1B%5B2J%07.pdf\r\n",
		"Content-Transfer-Encoding: base64\r\n\r\n", b64(slurp($po)),
		"--B\r\nContent-Type: application/pdf\r\n",
		"Content-Disposition: attachment; filename*=utf-8''logo%1B%5D0%3Btitre%07%E2%81%A6.pdf\r\n\r\nnot a pdf\r\n",
		"--B--\r\n";
} elsif ($kind eq 'scans') {
	my ($n, @scans) = @ARGV;
	print head("scans$n\@hostile", 'multipart/mixed; boundary="B"', from => 'contact@bio-et-vrac.fr');
	for my $i (1 .. $n) {
		print pdf_part('B', $scans[($i - 1) % @scans], sprintf('SCAN_%02d.pdf', $i));
	}
	print "--B--\r\n";
} elsif ($kind eq 'forms') {
	# Form XObjects, each drawing the next twice: poppler interprets
	# 2^LEVELS text draws (minutes and gigabytes) for a few KB.
	my ($levels, $lines) = @ARGV;
	$lines //= 1;
	my @obj;
	my $first = 5;
	push @obj, '<< /Type /Catalog /Pages 2 0 R >>';
	push @obj, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>';
	push @obj, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /X $first 0 R >>"
		. ' /Font << /F1 4 0 R >> >> /Contents ' . ($first + $levels + 1) . ' 0 R >>';
	push @obj, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
	for my $i (0 .. $levels) {
		my $k = $first + $i + 1;
		my ($content, $res);
		if ($i < $levels) {
			$content = '/X Do 1 0 0 1 3 2 cm /X Do';
			$res = "/XObject << /X $k 0 R >>";
		} else {
			$content = 'BT /F1 9 Tf '
				. join(' ', map { "0 -11 Td (BIO-$_ Farine de ble T65 1 kg 12 3,45) Tj" } 1 .. $lines) . ' ET';
			$res = '/Font << /F1 4 0 R >>';
		}
		push @obj, "<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << $res >> /Length "
			. length($content) . " >>\nstream\n$content\nendstream";
	}
	my $c = '1 0 0 1 0 800 cm /X Do';
	push @obj, '<< /Length ' . length($c) . " >>\nstream\n$c\nendstream";
	my $pdf = "%PDF-1.4\n";
	my @off;
	for my $i (0 .. $#obj) {
		push @off, length $pdf;
		$pdf .= ($i + 1) . " 0 obj\n$obj[$i]\nendobj\n";
	}
	my $x = length $pdf;
	$pdf .= 'xref' . "\n0 " . (@obj + 1) . "\n0000000000 65535 f \n";
	$pdf .= sprintf("%010d 00000 n \n", $_) for @off;
	$pdf .= "trailer\n<< /Size " . (@obj + 1) . " /Root 1 0 R >>\nstartxref\n$x\n%%EOF\n";
	print $pdf;
} else {
	die "mkhostile.pl: unknown kind $kind\n";
}
